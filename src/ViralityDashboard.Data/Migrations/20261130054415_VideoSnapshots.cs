using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ViralityDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class VideoSnapshots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "video_snapshots",
                columns: table => new
                {
                    video_id = table.Column<long>(type: "bigint", nullable: false),
                    scraped_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    views = table.Column<long>(type: "bigint", nullable: false),
                    likes = table.Column<long>(type: "bigint", nullable: false),
                    shares = table.Column<long>(type: "bigint", nullable: false),
                    comments = table.Column<long>(type: "bigint", nullable: true),
                    saves = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_video_snapshots", x => new { x.video_id, x.scraped_at });
                });

            // Videos imported before snapshots existed get their stored counts as their first snapshot.
            migrationBuilder.Sql("""
                INSERT INTO video_snapshots (video_id, scraped_at, views, likes, shares, comments, saves)
                SELECT id, last_scraped_at, views, likes, shares, comments, saves FROM scraped_videos
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "video_snapshots");
        }
    }
}
