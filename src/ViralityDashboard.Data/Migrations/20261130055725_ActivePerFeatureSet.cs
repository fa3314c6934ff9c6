using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ViralityDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class ActivePerFeatureSet : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_model_versions_one_active_per_kind",
                table: "model_versions");

            migrationBuilder.CreateIndex(
                name: "ux_model_versions_one_active_per_kind_and_feature_set",
                table: "model_versions",
                columns: new[] { "kind", "feature_set" },
                unique: true,
                filter: "is_active");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_model_versions_one_active_per_kind_and_feature_set",
                table: "model_versions");

            migrationBuilder.CreateIndex(
                name: "ux_model_versions_one_active_per_kind",
                table: "model_versions",
                column: "kind",
                unique: true,
                filter: "is_active");
        }
    }
}
