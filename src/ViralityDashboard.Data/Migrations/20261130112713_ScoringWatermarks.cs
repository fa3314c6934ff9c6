using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ViralityDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class ScoringWatermarks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_prediction_log_inputs_hash",
                table: "prediction_log");

            migrationBuilder.DropIndex(
                name: "ix_prediction_log_model_version_id_served_at",
                table: "prediction_log");

            migrationBuilder.DropIndex(
                name: "ix_prediction_log_video_id_model_version_id",
                table: "prediction_log");

            migrationBuilder.CreateTable(
                name: "scoring_watermarks",
                columns: table => new
                {
                    feature_set = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    scored_through_video_id = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_scoring_watermarks", x => x.feature_set);
                });

            migrationBuilder.CreateIndex(
                name: "ix_prediction_log_served_by_version",
                table: "prediction_log",
                columns: new[] { "model_version_id", "served_at" },
                filter: "source <> 'scoring'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "scoring_watermarks");

            migrationBuilder.DropIndex(
                name: "ix_prediction_log_served_by_version",
                table: "prediction_log");

            migrationBuilder.CreateIndex(
                name: "ix_prediction_log_inputs_hash",
                table: "prediction_log",
                column: "inputs_hash");

            migrationBuilder.CreateIndex(
                name: "ix_prediction_log_model_version_id_served_at",
                table: "prediction_log",
                columns: new[] { "model_version_id", "served_at" });

            migrationBuilder.CreateIndex(
                name: "ix_prediction_log_video_id_model_version_id",
                table: "prediction_log",
                columns: new[] { "video_id", "model_version_id" },
                filter: "video_id IS NOT NULL");
        }
    }
}
