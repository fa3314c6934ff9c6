using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ViralityDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class PreferenceSnapshotsAndPredictionLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "feature_importance_snapshots",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    milestone = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    row_count = table.Column<int>(type: "integer", nullable: false),
                    correlations = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    training_run_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_feature_importance_snapshots", x => x.id);
                    table.ForeignKey(
                        name: "fk_feature_importance_snapshots_training_runs_training_run_id",
                        column: x => x.training_run_id,
                        principalTable: "training_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "prediction_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    model_version_id = table.Column<long>(type: "bigint", nullable: true),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    inputs_hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    score = table.Column<double>(type: "double precision", nullable: false),
                    served_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_prediction_log", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_feature_importance_snapshots_created_at",
                table: "feature_importance_snapshots",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_feature_importance_snapshots_training_run_id",
                table: "feature_importance_snapshots",
                column: "training_run_id");

            migrationBuilder.CreateIndex(
                name: "ix_prediction_log_inputs_hash",
                table: "prediction_log",
                column: "inputs_hash");

            migrationBuilder.CreateIndex(
                name: "ix_prediction_log_model_version_id_served_at",
                table: "prediction_log",
                columns: new[] { "model_version_id", "served_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "feature_importance_snapshots");

            migrationBuilder.DropTable(
                name: "prediction_log");
        }
    }
}
