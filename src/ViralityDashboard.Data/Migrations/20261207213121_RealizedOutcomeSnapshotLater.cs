using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ViralityDashboard.Data.Migrations
{
    /// <summary>
    /// Issue 23 §4: realized performance counts only predictions judged on a later snapshot than their inputs.
    /// <c>prediction_log.outcome_at</c> records the judged snapshot's scrape time (null for outcomes set before: they stay
    /// counted, as they were); <c>realized_metrics.no_later_snapshot</c> counts the predictions of each week left out.
    /// Adding a nullable column to the partitioned log rewrites nothing.
    /// </summary>
    public partial class RealizedOutcomeSnapshotLater : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "no_later_snapshot",
                table: "realized_metrics",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "outcome_at",
                table: "prediction_log",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "no_later_snapshot",
                table: "realized_metrics");

            migrationBuilder.DropColumn(
                name: "outcome_at",
                table: "prediction_log");
        }
    }
}
