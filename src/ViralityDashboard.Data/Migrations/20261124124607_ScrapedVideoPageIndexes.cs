using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ViralityDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class ScrapedVideoPageIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_scraped_videos_flagged",
                table: "scraped_videos",
                column: "id",
                filter: "quality_flags <> 0");

            migrationBuilder.CreateIndex(
                name: "ix_scraped_videos_newest",
                table: "scraped_videos",
                columns: new[] { "created_at", "id" },
                descending: new bool[0]);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_scraped_videos_flagged",
                table: "scraped_videos");

            migrationBuilder.DropIndex(
                name: "ix_scraped_videos_newest",
                table: "scraped_videos");
        }
    }
}
