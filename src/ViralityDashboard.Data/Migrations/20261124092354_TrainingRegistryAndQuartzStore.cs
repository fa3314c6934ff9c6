using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ViralityDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class TrainingRegistryAndQuartzStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "request_id",
                table: "training_runs",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_training_runs_request_id",
                table: "training_runs",
                column: "request_id");

            // Quartz's ADO job store (RetrainJob's schedule survives restarts and is shared by every process).
            foreach (var statement in QuartzSchema.Statements())
                migrationBuilder.Sql(statement);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in QuartzSchema.Tables)
                migrationBuilder.Sql($"DROP TABLE IF EXISTS {table} CASCADE");

            migrationBuilder.DropIndex(
                name: "ix_training_runs_request_id",
                table: "training_runs");

            migrationBuilder.DropColumn(
                name: "request_id",
                table: "training_runs");
        }
    }
}
