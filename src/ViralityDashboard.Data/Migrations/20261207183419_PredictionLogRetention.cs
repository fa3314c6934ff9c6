using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ViralityDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class PredictionLogRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_prediction_log_matured_scoring_expiry",
                table: "prediction_log",
                column: "matured_at",
                filter: "source = 'scoring' AND matured_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_prediction_log_served_expiry",
                table: "prediction_log",
                columns: new[] { "kind", "served_at" },
                filter: "source <> 'scoring'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_prediction_log_matured_scoring_expiry",
                table: "prediction_log");

            migrationBuilder.DropIndex(
                name: "ix_prediction_log_served_expiry",
                table: "prediction_log");
        }
    }
}
