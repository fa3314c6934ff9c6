using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ViralityDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class BackfillAndTrainedThrough : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_realized_metrics",
                table: "realized_metrics");

            migrationBuilder.AddColumn<bool>(
                name: "backfill",
                table: "realized_metrics",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "in_training",
                table: "realized_metrics",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "backfill",
                table: "prediction_log",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "trained_through",
                table: "model_versions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddPrimaryKey(
                name: "pk_realized_metrics",
                table: "realized_metrics",
                columns: new[] { "model_version_id", "week", "backfill" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_realized_metrics",
                table: "realized_metrics");

            migrationBuilder.DropColumn(
                name: "backfill",
                table: "realized_metrics");

            migrationBuilder.DropColumn(
                name: "in_training",
                table: "realized_metrics");

            migrationBuilder.DropColumn(
                name: "backfill",
                table: "prediction_log");

            migrationBuilder.DropColumn(
                name: "trained_through",
                table: "model_versions");

            migrationBuilder.AddPrimaryKey(
                name: "pk_realized_metrics",
                table: "realized_metrics",
                columns: new[] { "model_version_id", "week" });
        }
    }
}
