using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Data.Configurations;

internal sealed class PredictionLogEntryConfiguration : IEntityTypeConfiguration<PredictionLogEntry>
{
    public void Configure(EntityTypeBuilder<PredictionLogEntry> b)
    {
        // Partitioned by month of served_at in the database (migration PredictionLogMonthlyPartitions, raw SQL): its
        // primary key there is (id, served_at), as a partitioned table's must include the partition key; the model keeps
        // id alone, which the identity keeps unique. Indexes added here are created on every partition.
        b.ToTable("prediction_log");
        b.Property(p => p.Kind).HasWireConversion().HasMaxLength(32);
        b.Property(p => p.Source).HasWireConversion().HasMaxLength(16);
        b.Property(p => p.FeatureSet).HasMaxLength(64);
        b.Property(p => p.InputsHash).HasMaxLength(64).IsFixedLength();
        b.Property(p => p.Features).HasColumnType("jsonb");
        // No foreign key to model_versions: an append-only log written in batches should not pay for a
        // lookup per row, and versions are never deleted.
        // The indexes the scoring job's COPY must maintain cost it more than the rows do, so each has a reader and the
        // scoring rows skip those they do not need. Served predictions by version (the preference page's count):
        b.HasIndex(p => new { p.ModelVersionId, p.ServedAt }).HasFilter("source <> 'scoring'").HasDatabaseName("ix_prediction_log_served_by_version");
        // None on inputs_hash or (video_id, version): nothing reads by them (the scoring job finds new videos by its
        // watermark), and they were 60 % of the COPY (measured 1.7 s → 1.0 s per 100k rows into a 1M-row log).
        // What the maturing job looks for: predictions of known videos still waiting for their outcome.
        b.HasIndex(p => p.VideoId).HasFilter("video_id IS NOT NULL AND outcome_tier IS NULL").HasDatabaseName("ix_prediction_log_awaiting_outcome");
        // The drift trigger's "latest N matured predictions of a version": a backward scan reads N entries, not every row of the version.
        b.HasIndex(p => new { p.ModelVersionId, p.ObservedAt, p.Id }).HasFilter("outcome_tier IS NOT NULL").HasDatabaseName("ix_prediction_log_matured_by_version");
        // Champion vs challenger joins two versions' matured scoring predictions on the video: read from the index alone
        // (measured 2.6 s → 1.3 s for 1M + 300k rows), with the two times it filters on (a later outcome snapshot, first
        // seen after the versions' training data). Matured rows only, so the scoring job's inserts do not pay for it.
        b.HasIndex(p => new { p.ModelVersionId, p.VideoId }).IncludeProperties(p => new { p.PredictedTier, p.OutcomeTier, p.ObservedAt, p.OutcomeAt })
            .HasFilter("source = 'scoring' AND outcome_tier IS NOT NULL AND predicted_tier IS NOT NULL").HasDatabaseName("ix_prediction_log_matured_scoring_by_video");
        // The retention pass (issue 22 §5) finds expired rows in time order, each rule by its own column. Served rows by kind
        // (engagement and preference are kept for different times); scoring rows only once matured, so neither the scoring
        // job's COPY nor a row still waiting for its outcome pays for it.
        b.HasIndex(p => new { p.Kind, p.ServedAt }).HasFilter("source <> 'scoring'").HasDatabaseName("ix_prediction_log_served_expiry");
        b.HasIndex(p => p.MaturedAt).HasFilter("source = 'scoring' AND matured_at IS NOT NULL").HasDatabaseName("ix_prediction_log_matured_scoring_expiry");
    }
}
