using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ViralityDashboard.Data.Migrations
{
    /// <summary>
    /// <c>prediction_log</c> partitioned by month of <c>served_at</c> (UTC), so the retention pass drops a month whose rows
    /// have all expired as a whole table instead of deleting them row by row (issue 22 §5). The EF model does not change:
    /// the key it knows (<c>id</c>) stays unique through the identity, and the primary key must include the partition key.
    /// </summary>
    /// <remarks>
    /// The rows already logged are copied into the new table, whose months (from the oldest row's, at most 10 years back,
    /// to the next month) are created first so the backlog too can go whole; older rows land in the DEFAULT partition.
    /// The indexes are built after the copy. The retention pass creates the months ahead from then on.
    /// </remarks>
    public partial class PredictionLogMonthlyPartitions : Migration
    {
        internal const string Indexes = """
            CREATE INDEX ix_prediction_log_served_by_version ON prediction_log (model_version_id, served_at) WHERE source <> 'scoring';
            CREATE INDEX ix_prediction_log_awaiting_outcome ON prediction_log (video_id) WHERE video_id IS NOT NULL AND outcome_tier IS NULL;
            CREATE INDEX ix_prediction_log_matured_by_version ON prediction_log (model_version_id, observed_at, id) WHERE outcome_tier IS NOT NULL;
            CREATE INDEX ix_prediction_log_matured_scoring_by_video ON prediction_log (model_version_id, video_id) INCLUDE (predicted_tier, outcome_tier)
                WHERE source = 'scoring' AND outcome_tier IS NOT NULL AND predicted_tier IS NOT NULL;
            CREATE INDEX ix_prediction_log_served_expiry ON prediction_log (kind, served_at) WHERE source <> 'scoring';
            CREATE INDEX ix_prediction_log_matured_scoring_expiry ON prediction_log (matured_at) WHERE source = 'scoring' AND matured_at IS NOT NULL;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($$"""
                CREATE TABLE prediction_log_partitioned (LIKE prediction_log INCLUDING DEFAULTS INCLUDING IDENTITY) PARTITION BY RANGE (served_at);
                CREATE TABLE prediction_log_default PARTITION OF prediction_log_partitioned DEFAULT;
                DO $$
                DECLARE
                    m timestamp; -- a month's first instant in UTC: month arithmetic on timestamptz would follow the session's time zone
                BEGIN
                    FOR m IN SELECT generate_series(
                        date_trunc('month', greatest(least(coalesce((SELECT min(served_at) FROM prediction_log), now()), now()), now() - interval '10 years') AT TIME ZONE 'UTC'),
                        date_trunc('month', now() AT TIME ZONE 'UTC') + interval '1 month', interval '1 month')
                    LOOP
                        EXECUTE format('CREATE TABLE %I PARTITION OF prediction_log_partitioned FOR VALUES FROM (%L) TO (%L)',
                            'prediction_log_y' || to_char(m, 'YYYY') || 'm' || to_char(m, 'MM'),
                            m AT TIME ZONE 'UTC', (m + interval '1 month') AT TIME ZONE 'UTC');
                    END LOOP;
                END $$;
                INSERT INTO prediction_log_partitioned SELECT * FROM prediction_log;
                DROP TABLE prediction_log;
                ALTER TABLE prediction_log_partitioned RENAME TO prediction_log;
                ALTER SEQUENCE prediction_log_partitioned_id_seq RENAME TO prediction_log_id_seq;
                SELECT setval('prediction_log_id_seq', coalesce((SELECT max(id) FROM prediction_log), 0) + 1, false);
                ALTER TABLE prediction_log ADD CONSTRAINT pk_prediction_log PRIMARY KEY (id, served_at);
                {{Indexes}}
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                CREATE TABLE prediction_log_plain (LIKE prediction_log INCLUDING DEFAULTS INCLUDING IDENTITY);
                INSERT INTO prediction_log_plain SELECT * FROM prediction_log;
                DROP TABLE prediction_log;
                ALTER TABLE prediction_log_plain RENAME TO prediction_log;
                ALTER SEQUENCE prediction_log_plain_id_seq RENAME TO prediction_log_id_seq;
                SELECT setval('prediction_log_id_seq', coalesce((SELECT max(id) FROM prediction_log), 0) + 1, false);
                ALTER TABLE prediction_log ADD CONSTRAINT pk_prediction_log PRIMARY KEY (id);
                {Indexes}
                """);
        }
    }
}
