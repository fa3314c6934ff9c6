using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ViralityDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "calibration_baselines",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    computed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    video_count = table.Column<int>(type: "integer", nullable: false),
                    view_percentiles = table.Column<string>(type: "jsonb", nullable: false),
                    wes_percentiles = table.Column<string>(type: "jsonb", nullable: false),
                    wes_weights = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_calibration_baselines", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "scraped_videos",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    platform = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    platform_video_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    views = table.Column<long>(type: "bigint", nullable: false),
                    likes = table.Column<long>(type: "bigint", nullable: false),
                    shares = table.Column<long>(type: "bigint", nullable: false),
                    comments = table.Column<long>(type: "bigint", nullable: false),
                    saves = table.Column<long>(type: "bigint", nullable: true),
                    duration_seconds = table.Column<double>(type: "double precision", nullable: true),
                    hashtags = table.Column<string[]>(type: "text[]", nullable: false),
                    sound_name = table.Column<string>(type: "text", nullable: true),
                    sound_original = table.Column<bool>(type: "boolean", nullable: true),
                    description = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    author_handle = table.Column<string>(type: "text", nullable: true),
                    author_followers = table.Column<long>(type: "bigint", nullable: true),
                    author_verified = table.Column<bool>(type: "boolean", nullable: true),
                    first_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_scraped_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    quality_flags = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_scraped_videos", x => x.id);
                    table.CheckConstraint("ck_scraped_videos_counts_non_negative", "views >= 0 AND likes >= 0 AND shares >= 0 AND comments >= 0 AND (saves IS NULL OR saves >= 0)");
                    table.CheckConstraint("ck_scraped_videos_duration_non_negative", "duration_seconds IS NULL OR duration_seconds >= 0");
                });

            migrationBuilder.CreateTable(
                name: "training_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    trigger = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    trigger_details = table.Column<string>(type: "jsonb", nullable: true),
                    status = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    options = table.Column<string>(type: "jsonb", nullable: false),
                    video_count = table.Column<int>(type: "integer", nullable: false),
                    used_fallback_data = table.Column<bool>(type: "boolean", nullable: false),
                    gate_decision = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    gate_reasons = table.Column<string[]>(type: "text[]", nullable: false),
                    warnings = table.Column<string[]>(type: "text[]", nullable: false),
                    thresholds = table.Column<string>(type: "jsonb", nullable: true),
                    tier_distribution = table.Column<string>(type: "jsonb", nullable: true),
                    metrics = table.Column<string>(type: "jsonb", nullable: true),
                    timings = table.Column<string>(type: "jsonb", nullable: true),
                    error = table.Column<string>(type: "text", nullable: true),
                    model_version_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_training_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "analyzed_videos",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    video_id = table.Column<long>(type: "bigint", nullable: false),
                    analysis_version = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    visual_analysis = table.Column<string>(type: "jsonb", nullable: false),
                    feature_count = table.Column<int>(type: "integer", nullable: false),
                    analyzed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_analyzed_videos", x => x.id);
                    table.ForeignKey(
                        name: "fk_analyzed_videos_scraped_videos_video_id",
                        column: x => x.video_id,
                        principalTable: "scraped_videos",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "video_ratings",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    video_id = table.Column<long>(type: "bigint", nullable: false),
                    rater = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    rater_type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    overall_score = table.Column<double>(type: "double precision", nullable: false),
                    hook = table.Column<double>(type: "double precision", nullable: true),
                    pacing = table.Column<double>(type: "double precision", nullable: true),
                    payoff = table.Column<double>(type: "double precision", nullable: true),
                    originality = table.Column<double>(type: "double precision", nullable: true),
                    rewatchable = table.Column<double>(type: "double precision", nullable: true),
                    notes = table.Column<string>(type: "text", nullable: true),
                    rated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    seconds_spent = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_video_ratings", x => x.id);
                    table.CheckConstraint("ck_video_ratings_scores_in_unit_range", "overall_score BETWEEN 0 AND 1 AND (hook IS NULL OR hook BETWEEN 0 AND 1) AND (pacing IS NULL OR pacing BETWEEN 0 AND 1) AND (payoff IS NULL OR payoff BETWEEN 0 AND 1) AND (originality IS NULL OR originality BETWEEN 0 AND 1) AND (rewatchable IS NULL OR rewatchable BETWEEN 0 AND 1)");
                    table.CheckConstraint("ck_video_ratings_seconds_non_negative", "seconds_spent >= 0");
                    table.ForeignKey(
                        name: "fk_video_ratings_scraped_videos_video_id",
                        column: x => x.video_id,
                        principalTable: "scraped_videos",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "model_versions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    version_tag = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    is_active = table.Column<bool>(type: "boolean", nullable: false),
                    trained_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    training_video_count = table.Column<int>(type: "integer", nullable: false),
                    feature_set = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    tier_scheme = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    trainer = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    thresholds = table.Column<string>(type: "jsonb", nullable: false),
                    feature_weights = table.Column<string>(type: "jsonb", nullable: false),
                    metrics = table.Column<string>(type: "jsonb", nullable: false),
                    normalization_config = table.Column<string>(type: "jsonb", nullable: false),
                    artifact = table.Column<byte[]>(type: "bytea", nullable: false),
                    notes = table.Column<string>(type: "text", nullable: true),
                    training_run_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_model_versions", x => x.id);
                    table.CheckConstraint("ck_model_versions_active_status", "NOT is_active OR status = 'active'");
                    table.ForeignKey(
                        name: "fk_model_versions_training_runs_training_run_id",
                        column: x => x.training_run_id,
                        principalTable: "training_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "model_activations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    action = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    from_version_id = table.Column<long>(type: "bigint", nullable: true),
                    to_version_id = table.Column<long>(type: "bigint", nullable: true),
                    changed_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reason = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_model_activations", x => x.id);
                    table.ForeignKey(
                        name: "fk_model_activations_model_versions_from_version_id",
                        column: x => x.from_version_id,
                        principalTable: "model_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_model_activations_model_versions_to_version_id",
                        column: x => x.to_version_id,
                        principalTable: "model_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_analyzed_videos_video_id_analysis_version",
                table: "analyzed_videos",
                columns: new[] { "video_id", "analysis_version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_calibration_baselines_computed_at",
                table: "calibration_baselines",
                column: "computed_at");

            migrationBuilder.CreateIndex(
                name: "ix_model_activations_from_version_id",
                table: "model_activations",
                column: "from_version_id");

            migrationBuilder.CreateIndex(
                name: "ix_model_activations_kind_changed_at",
                table: "model_activations",
                columns: new[] { "kind", "changed_at" });

            migrationBuilder.CreateIndex(
                name: "ix_model_activations_to_version_id",
                table: "model_activations",
                column: "to_version_id");

            migrationBuilder.CreateIndex(
                name: "ix_model_versions_kind_trained_at",
                table: "model_versions",
                columns: new[] { "kind", "trained_at" });

            migrationBuilder.CreateIndex(
                name: "ix_model_versions_training_run_id",
                table: "model_versions",
                column: "training_run_id");

            migrationBuilder.CreateIndex(
                name: "ix_model_versions_version_tag",
                table: "model_versions",
                column: "version_tag",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_model_versions_one_active_per_kind",
                table: "model_versions",
                column: "kind",
                unique: true,
                filter: "is_active");

            migrationBuilder.CreateIndex(
                name: "ix_scraped_videos_platform_platform_video_id",
                table: "scraped_videos",
                columns: new[] { "platform", "platform_video_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_training_runs_kind_started_at",
                table: "training_runs",
                columns: new[] { "kind", "started_at" });

            migrationBuilder.CreateIndex(
                name: "ix_video_ratings_rated_at",
                table: "video_ratings",
                column: "rated_at");

            migrationBuilder.CreateIndex(
                name: "ix_video_ratings_video_id_rater",
                table: "video_ratings",
                columns: new[] { "video_id", "rater" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "analyzed_videos");

            migrationBuilder.DropTable(
                name: "calibration_baselines");

            migrationBuilder.DropTable(
                name: "model_activations");

            migrationBuilder.DropTable(
                name: "video_ratings");

            migrationBuilder.DropTable(
                name: "model_versions");

            migrationBuilder.DropTable(
                name: "scraped_videos");

            migrationBuilder.DropTable(
                name: "training_runs");
        }
    }
}
