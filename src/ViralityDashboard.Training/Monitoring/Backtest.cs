using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Training.Engagement;
using ViralityDashboard.Training.Runs;

namespace ViralityDashboard.Training.Monitoring;

/// <summary>One week of a backtest: videos first seen that week and matured, as the version would have scored them.</summary>
public sealed record BacktestWeek(DateOnly Week, int Matured, double Accuracy, double MacroF1, double Kappa, double WithinOne);

/// <summary>What <c>backtest --json</c> and <c>GET /api/backtest</c> answer.</summary>
public sealed record BacktestReport(string Tag, DateOnly? From, IReadOnlyList<BacktestWeek> Weeks)
{
    /// <summary>
    /// Matured videos left out of <see cref="Weeks"/>: none of their snapshots is later than the one they would be scored
    /// from (first seen already mature, or never scraped again), so their outcome would be their own inputs.
    /// </summary>
    public int NoLaterSnapshot { get; init; }

    /// <summary>
    /// Matured videos left out of <see cref="Weeks"/> because they were first seen by the version's
    /// <c>trained_through</c>: it may have been fitted on their outcome, so they would read in-sample.
    /// </summary>
    public int InTraining { get; init; }
}

/// <summary>The version exists but cannot be backtested (rejected by the gate, or without stored thresholds).</summary>
public sealed class BacktestRefusedException(string message) : Exception(message);

/// <summary>
/// How a version would have done on the videos that have matured: each scored as the scoring job would have scored it
/// (first snapshot, or its pre-posting features) and judged by the version's own thresholds on its latest snapshot,
/// week by week of first sight; only videos with a snapshot later than the first, first seen after the version's
/// training data, count, as in realized metrics. Nothing
/// is logged; the CPU work runs on the training threads.
/// </summary>
public sealed class BacktestService(
    NpgsqlDataSource data, ModelRegistryStore store, TrainingThreads threads, TimeProvider clock,
    IOptions<MonitoringOptions> options, IOptions<EngagementTrainingOptions> training)
{
    private const int BatchSize = 20_000;

    private const string BatchSql = $"""
        SELECT {MonitoredVideos.FirstSeenColumns}, {MonitoredVideos.LatestColumns}, coalesce(l.scraped_at > {MonitoredVideos.ObservedAt}, false)
        FROM scraped_videos v
        {MonitoredVideos.FirstSnapshotJoin}
        {MonitoredVideos.LatestSnapshotJoin}
        WHERE v.id > @after AND {MonitoredVideos.Scorable}
          AND {MonitoredVideos.PostedAt} <= @cutoff
          AND (@from::timestamptz IS NULL OR {MonitoredVideos.ObservedAt} >= @from)
        ORDER BY v.id
        LIMIT @batch
        """;

    /// <summary>A <c>--from</c> / <c>from=</c> value: a date as YYYY-MM-DD (UTC midnight), or null for all time.</summary>
    /// <exception cref="ArgumentException">Not such a date; the message names the value.</exception>
    public static DateOnly? ParseFrom(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        return DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new ArgumentException($"'from' must be a date as YYYY-MM-DD, not '{text}'.");
    }

    /// <exception cref="ModelRegistryException">No engagement version with that tag.</exception>
    /// <exception cref="BacktestRefusedException">The version was rejected by the gate or has no thresholds of its own.</exception>
    public async Task<BacktestReport> RunAsync(string tag, DateOnly? from, CancellationToken ct = default)
    {
        var version = await store.FindAsync(null, tag, ct);
        if (version is null || version.Kind != ModelKind.Engagement)
            throw new ModelRegistryException($"No engagement model version '{tag}'.");
        if (version.Status == VersionStatus.Rejected)
            throw new BacktestRefusedException($"Version '{tag}' was rejected by the gate; it never predicts, so it is not backtested.");
        var thresholds = MonitoredVideos.ParseThresholds(version.Thresholds)
            ?? throw new BacktestRefusedException($"Version '{tag}' has no tier thresholds of its own (it was trained on the bundled fallback set), so its outcomes cannot be judged.");
        var model = ActiveModelCache.Load(version);
        var weights = training.Value.WesWeights;
        var cutoff = clock.GetUtcNow().AddDays(-options.Value.MatureAfterDays);
        DateTimeOffset? fromTime = from is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;

        var weeks = new SortedDictionary<DateOnly, int[][]>();
        var (apart, inTraining) = (0, 0);
        var trainedThrough = version.TrainedThrough;
        await using var conn = await data.OpenConnectionAsync(ct);
        long after = 0;
        while (true)
        {
            var batch = new List<(FirstSeenVideo Video, OutcomeCounts Latest)>(BatchSize);
            var (read, lastId) = (0, after);
            await using (var cmd = new NpgsqlCommand(BatchSql, conn))
            {
                cmd.Parameters.AddWithValue("after", after);
                cmd.Parameters.AddWithValue("cutoff", cutoff);
                cmd.Parameters.Add(new NpgsqlParameter("from", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)fromTime ?? DBNull.Value });
                cmd.Parameters.AddWithValue("batch", BatchSize);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    read++;
                    lastId = r.GetInt64(0);
                    if (!r.GetBoolean(MonitoredVideos.FirstSeenColumnCount + 5))
                        apart++;
                    else if (MonitoredVideos.ReadFirstSeen(r) is var seen && seen.ObservedAt <= trainedThrough)
                        inTraining++;
                    else
                        batch.Add((seen, MonitoredVideos.ReadCounts(r, MonitoredVideos.FirstSeenColumnCount)));
                }
            }
            if (read == 0)
                break;
            after = lastId;
            var judged = await threads.Run(() => Judge(batch, model, thresholds, weights));
            foreach (var (week, predicted, actual) in judged)
            {
                if (!weeks.TryGetValue(week, out var matrix))
                    weeks[week] = matrix = Enumerable.Range(0, TierScheme.TierCount).Select(_ => new int[TierScheme.TierCount]).ToArray();
                matrix[actual - 1][predicted - 1]++;
            }
            if (read < BatchSize)
                break;
        }
        return new BacktestReport(tag, from, weeks.Select(w =>
        {
            var m = Metrics.FromConfusion(w.Value);
            return new BacktestWeek(w.Key, m.Count, m.Accuracy, m.MacroF1, m.QuadraticWeightedKappa, m.WithinOneTierAccuracy);
        }).ToList()) { NoLaterSnapshot = apart, InTraining = inTraining };
    }

    private static List<(DateOnly Week, int Predicted, int Actual)> Judge(
        List<(FirstSeenVideo Video, OutcomeCounts Latest)> batch, LoadedModel model, TierThresholds thresholds, WesWeights weights)
    {
        var result = new List<(DateOnly, int, int)>(batch.Count);
        foreach (var (video, latest) in batch)
        {
            if (MonitoredVideos.OutcomeTier(thresholds, latest, weights) is not { } actual)
                continue;
            var features = FeatureExtractor.Extract(video.Record, model.FeatureSet);
            result.Add((MonitoredVideos.WeekOf(video.ObservedAt), model.Model.PredictTier(features), actual));
        }
        return result;
    }
}
