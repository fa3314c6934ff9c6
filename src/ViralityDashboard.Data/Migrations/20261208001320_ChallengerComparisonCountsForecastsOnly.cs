using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ViralityDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class ChallengerComparisonCountsForecastsOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_prediction_log_matured_scoring_by_video",
                table: "prediction_log");

            migrationBuilder.CreateIndex(
                name: "ix_prediction_log_matured_scoring_by_video",
                table: "prediction_log",
                columns: new[] { "model_version_id", "video_id" },
                filter: "source = 'scoring' AND outcome_tier IS NOT NULL AND predicted_tier IS NOT NULL")
                .Annotation("Npgsql:IndexInclude", new[] { "predicted_tier", "outcome_tier", "observed_at", "outcome_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_prediction_log_matured_scoring_by_video",
                table: "prediction_log");

            migrationBuilder.CreateIndex(
                name: "ix_prediction_log_matured_scoring_by_video",
                table: "prediction_log",
                columns: new[] { "model_version_id", "video_id" },
                filter: "source = 'scoring' AND outcome_tier IS NOT NULL AND predicted_tier IS NOT NULL")
                .Annotation("Npgsql:IndexInclude", new[] { "predicted_tier", "outcome_tier" });
        }
    }
}
