using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ViralityDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class Monitoring : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "feature_set",
                table: "prediction_log",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "features",
                table: "prediction_log",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "matured_at",
                table: "prediction_log",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "observed_at",
                table: "prediction_log",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<short>(
                name: "outcome_tier",
                table: "prediction_log",
                type: "smallint",
                nullable: true);

            migrationBuilder.AddColumn<short>(
                name: "predicted_tier",
                table: "prediction_log",
                type: "smallint",
                nullable: true);

            migrationBuilder.AddColumn<float[]>(
                name: "probabilities",
                table: "prediction_log",
                type: "real[]",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "source",
                table: "prediction_log",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "api");

            migrationBuilder.AddColumn<long>(
                name: "video_id",
                table: "prediction_log",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "is_shadow",
                table: "model_versions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Rows logged before monitoring were preference predictions served by the API or pages, observed when served.
            migrationBuilder.Sql("UPDATE prediction_log SET observed_at = served_at;");

            migrationBuilder.CreateTable(
                name: "realized_metrics",
                columns: table => new
                {
                    model_version_id = table.Column<long>(type: "bigint", nullable: false),
                    week = table.Column<DateOnly>(type: "date", nullable: false),
                    matured = table.Column<int>(type: "integer", nullable: false),
                    accuracy = table.Column<double>(type: "double precision", nullable: false),
                    macro_f1 = table.Column<double>(type: "double precision", nullable: false),
                    kappa = table.Column<double>(type: "double precision", nullable: false),
                    within_one = table.Column<double>(type: "double precision", nullable: false),
                    confusion = table.Column<int[]>(type: "integer[]", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_realized_metrics", x => new { x.model_version_id, x.week });
                    table.CheckConstraint("ck_realized_metrics_confusion_5x5", "cardinality(confusion) = 25");
                    table.ForeignKey(
                        name: "fk_realized_metrics_model_versions_model_version_id",
                        column: x => x.model_version_id,
                        principalTable: "model_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_prediction_log_awaiting_outcome",
                table: "prediction_log",
                column: "video_id",
                filter: "video_id IS NOT NULL AND outcome_tier IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_prediction_log_video_id_model_version_id",
                table: "prediction_log",
                columns: new[] { "video_id", "model_version_id" },
                filter: "video_id IS NOT NULL");

            migrationBuilder.AddCheckConstraint(
                name: "ck_model_versions_shadow_status",
                table: "model_versions",
                sql: "NOT is_shadow OR status = 'inactive'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "realized_metrics");

            migrationBuilder.DropIndex(
                name: "ix_prediction_log_awaiting_outcome",
                table: "prediction_log");

            migrationBuilder.DropIndex(
                name: "ix_prediction_log_video_id_model_version_id",
                table: "prediction_log");

            migrationBuilder.DropCheckConstraint(
                name: "ck_model_versions_shadow_status",
                table: "model_versions");

            migrationBuilder.DropColumn(
                name: "feature_set",
                table: "prediction_log");

            migrationBuilder.DropColumn(
                name: "features",
                table: "prediction_log");

            migrationBuilder.DropColumn(
                name: "matured_at",
                table: "prediction_log");

            migrationBuilder.DropColumn(
                name: "observed_at",
                table: "prediction_log");

            migrationBuilder.DropColumn(
                name: "outcome_tier",
                table: "prediction_log");

            migrationBuilder.DropColumn(
                name: "predicted_tier",
                table: "prediction_log");

            migrationBuilder.DropColumn(
                name: "probabilities",
                table: "prediction_log");

            migrationBuilder.DropColumn(
                name: "source",
                table: "prediction_log");

            migrationBuilder.DropColumn(
                name: "video_id",
                table: "prediction_log");

            migrationBuilder.DropColumn(
                name: "is_shadow",
                table: "model_versions");
        }
    }
}
