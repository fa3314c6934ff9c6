using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.DemoAndBenchmarks.Demo;

namespace ViralityDashboard.DemoAndBenchmarks.Benchmarks;

/// <summary>How much <see cref="MonitorBenchData"/> writes.</summary>
/// <param name="Videos">Videos already scored (one logged prediction each), posted over <paramref name="Weeks"/> weeks.</param>
/// <param name="NewVideos">Videos posted in the last 3 days that no scoring pass has seen: what the timed scoring pass scores.</param>
public sealed record MonitorBenchSizes(int Videos = 1_000_000, int NewVideos = 100_000, int SnapshotsPerVideo = 5, int Weeks = 20, int Seed = 42)
{
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Videos, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(NewVideos);
        ArgumentOutOfRangeException.ThrowIfLessThan(SnapshotsPerVideo, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(Weeks, 2);
    }
}

/// <summary>What was written: rows per table, and the logged predictions by state.</summary>
/// <param name="Matured">Predictions with their outcome (counted in realized_metrics).</param>
/// <param name="Due">Predictions of videos mature now without an outcome yet: one day's, for the timed maturing pass.</param>
public sealed record MonitorBenchCounts(long Videos, long Snapshots, long Predictions, long Matured, long Due, long RealizedWeeks);

/// <summary>
/// The data of <c>bench-monitor</c> (issue 12, Speed), by binary COPY: demo videos with a fixed number of snapshots
/// each, one logged seed15 prediction per scored video (observed at its first snapshot, as the scoring job logs them),
/// the outcomes of all that matured before yesterday with their realized_metrics rows, and new videos never scored.
/// The tiers are the version's own (<see cref="TierThresholds"/> over views), predicted from the first snapshot's views
/// and judged by the last; the figures are the timings', not a model's.
/// </summary>
public sealed class MonitorBenchData(NpgsqlDataSource dataSource)
{
    private const int MatureAfterDays = 7; // Monitoring:MatureAfterDays' default
    private static readonly float[] Spread = [0.05f, 0.1f, 0.7f, 0.1f, 0.05f];

    /// <summary>Videos (the scored ones, then the new ones, ids from 1) and their snapshots; the tables must be empty.</summary>
    public async Task<(long Videos, long Snapshots)> WriteVideosAsync(MonitorBenchSizes sizes, DateTimeOffset now, CancellationToken ct = default)
    {
        sizes.Validate();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        if (await ScalarAsync(conn, "SELECT count(*) FROM (SELECT 1 FROM scraped_videos LIMIT 1) t", ct) > 0)
            throw new InvalidOperationException("scraped_videos is not empty: bench-monitor writes into an empty scratch database only (give a new --data-dir).");
        await using var tx = await conn.BeginTransactionAsync(ct);
        long videos = 0, snapshots = 0;
        await using (var copy = await conn.BeginBinaryImportAsync(
            "COPY scraped_videos (id, platform, platform_video_id, views, likes, shares, comments, saves, duration_seconds, hashtags, sound_name, "
            + "sound_original, description, created_at, author_handle, author_followers, author_verified, first_seen_at, last_scraped_at, quality_flags) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (id, v) in AllVideos(sizes, now))
            {
                var times = ScrapeTimes(v.CreatedAt!.Value, now, sizes.SnapshotsPerVideo);
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(id, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(v.Platform, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(v.VideoId, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(v.Views, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(v.Likes, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(v.Shares, NpgsqlDbType.Bigint, ct);
                await WriteAsync(copy, v.Comments, ct);
                await WriteAsync(copy, v.Saves, ct);
                if (v.DurationSeconds is { } d) await copy.WriteAsync(d, NpgsqlDbType.Double, ct); else await copy.WriteNullAsync(ct);
                await copy.WriteAsync(v.Hashtags as string[] ?? [.. v.Hashtags], NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                await WriteAsync(copy, v.SoundName, ct);
                if (v.SoundOriginal is { } so) await copy.WriteAsync(so, NpgsqlDbType.Boolean, ct); else await copy.WriteNullAsync(ct);
                await WriteAsync(copy, v.Description, ct);
                await copy.WriteAsync(v.CreatedAt!.Value, NpgsqlDbType.TimestampTz, ct);
                await WriteAsync(copy, v.AuthorHandle, ct);
                await WriteAsync(copy, v.AuthorFollowers, ct);
                if (v.AuthorVerified is { } av) await copy.WriteAsync(av, NpgsqlDbType.Boolean, ct); else await copy.WriteNullAsync(ct);
                await copy.WriteAsync(times[0], NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(times[^1], NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync((int)v.Flags, NpgsqlDbType.Integer, ct);
                videos++;
            }
            await copy.CompleteAsync(ct);
        }
        await using (var copy = await conn.BeginBinaryImportAsync(
            "COPY video_snapshots (video_id, scraped_at, views, likes, shares, comments, saves) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (id, v) in AllVideos(sizes, now))
            {
                var times = ScrapeTimes(v.CreatedAt!.Value, now, sizes.SnapshotsPerVideo);
                for (var k = 0; k < times.Length; k++)
                {
                    var share = Share(k, times.Length);
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(id, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(times[k], NpgsqlDbType.TimestampTz, ct);
                    await copy.WriteAsync(Part(v.Views, share), NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(Part(v.Likes, share), NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(Part(v.Shares, share), NpgsqlDbType.Bigint, ct);
                    await WriteAsync(copy, v.Comments is { } c ? Part(c, share) : null, ct);
                    await WriteAsync(copy, v.Saves is { } s ? Part(s, share) : null, ct);
                    snapshots++;
                }
            }
            await copy.CompleteAsync(ct);
        }
        // Ids were given, so the identity continues after them for any later import.
        await ExecuteAsync(conn, "SELECT setval(pg_get_serial_sequence('scraped_videos', 'id'), (SELECT max(id) FROM scraped_videos))", ct);
        await tx.CommitAsync(ct);
        return (videos, snapshots);
    }

    /// <summary>
    /// One logged prediction of <paramref name="versionId"/> per scored video and, for those matured before yesterday,
    /// the outcome and the version's realized_metrics weeks (metrics from the confusion counts).
    /// </summary>
    public async Task<MonitorBenchCounts> WritePredictionsAsync(
        MonitorBenchSizes sizes, DateTimeOffset now, long versionId, TierThresholds thresholds, CancellationToken ct = default)
    {
        sizes.Validate();
        // Matured before yesterday: outcome given. Mature since: one day's predictions, due for the maturing pass.
        var dueFrom = now.AddDays(-1);
        var confusion = new SortedDictionary<DateOnly, int[][]>();
        long predictions = 0, matured = 0, due = 0;
        var engagement = ModelKind.Engagement.Wire();
        var scoring = PredictionSource.Scoring.Wire();
        var json = new ArrayBufferWriter<byte>(1024);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var copy = await conn.BeginBinaryImportAsync(
            "COPY prediction_log (model_version_id, kind, source, feature_set, inputs_hash, features, probabilities, predicted_tier, score, "
            + "served_at, video_id, observed_at, outcome_tier, matured_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (id, v) in AllVideos(sizes, now).Take(sizes.Videos))
            {
                var times = ScrapeTimes(v.CreatedAt!.Value, now, sizes.SnapshotsPerVideo);
                var first = Share(0, times.Length);
                var early = v with { Views = Part(v.Views, first), Likes = Part(v.Likes, first), Shares = Part(v.Shares, first) };
                var features = FeatureExtractor.Extract(early, FeatureSet.Seed15);
                var predicted = thresholds.Assign(early.Views);
                var mature = v.CreatedAt.Value.AddDays(MatureAfterDays);
                int? outcome = mature < dueFrom ? thresholds.Assign(v.Views) : null;

                await copy.StartRowAsync(ct);
                await copy.WriteAsync(versionId, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(engagement, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(scoring, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(FeatureSet.Seed15Name, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(Hash(features), NpgsqlDbType.Char, ct);
                await copy.WriteAsync(FeaturesJson(features, json), NpgsqlDbType.Jsonb, ct);
                await copy.WriteAsync(Probabilities(predicted), NpgsqlDbType.Array | NpgsqlDbType.Real, ct);
                await copy.WriteAsync((short)predicted, NpgsqlDbType.Smallint, ct);
                await copy.WriteAsync((predicted - 1) * 25.0, NpgsqlDbType.Double, ct);
                await copy.WriteAsync(times[0], NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(id, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(times[0], NpgsqlDbType.TimestampTz, ct);
                if (outcome is { } o)
                {
                    await copy.WriteAsync((short)o, NpgsqlDbType.Smallint, ct);
                    await copy.WriteAsync(mature, NpgsqlDbType.TimestampTz, ct);
                    var week = DemoDataGenerator.WeekOf(times[0]);
                    if (!confusion.TryGetValue(week, out var counts))
                        confusion[week] = counts = Enumerable.Range(0, TierScheme.TierCount).Select(_ => new int[TierScheme.TierCount]).ToArray();
                    counts[o - 1][predicted - 1]++;
                    matured++;
                }
                else
                {
                    await copy.WriteNullAsync(ct);
                    await copy.WriteNullAsync(ct);
                    if (mature <= now)
                        due++;
                }
                predictions++;
            }
            await copy.CompleteAsync(ct);
        }
        foreach (var (week, counts) in confusion)
        {
            var m = Metrics.FromConfusion(counts);
            await using var insert = new NpgsqlCommand("""
                INSERT INTO realized_metrics (model_version_id, week, matured, accuracy, macro_f1, kappa, within_one, confusion, updated_at)
                VALUES (@version, @week, @matured, @accuracy, @macroF1, @kappa, @withinOne, @confusion, @now)
                """, conn, tx);
            insert.Parameters.AddWithValue("version", versionId);
            insert.Parameters.AddWithValue("week", week);
            insert.Parameters.AddWithValue("matured", m.Count);
            insert.Parameters.AddWithValue("accuracy", m.Accuracy);
            insert.Parameters.AddWithValue("macroF1", m.MacroF1);
            insert.Parameters.AddWithValue("kappa", m.QuadraticWeightedKappa);
            insert.Parameters.AddWithValue("withinOne", m.WithinOneTierAccuracy);
            insert.Parameters.AddWithValue("confusion", counts.SelectMany(r => r).ToArray());
            insert.Parameters.AddWithValue("now", now);
            await insert.ExecuteNonQueryAsync(ct);
        }
        // Where the scoring passes that logged these predictions would have left the feature set's watermark.
        await ExecuteAsync(conn, """
            INSERT INTO scoring_watermarks (feature_set, scored_through_video_id, updated_at)
            SELECT feature_set, max(video_id), now() FROM prediction_log WHERE source = 'scoring' GROUP BY feature_set
            """, ct, tx);
        await tx.CommitAsync(ct);
        // A live log of a million rows has been through autovacuum (it runs after inserts too): the timings are of that
        // state, not of first reads setting hint bits on freshly copied pages, nor of an autovacuum starting mid-run.
        foreach (var table in new[] { "scraped_videos", "video_snapshots", "prediction_log", "realized_metrics" })
            await ExecuteAsync(conn, $"VACUUM (ANALYZE) {table}", ct);
        var (videos, snapshots) = (await ScalarAsync(conn, "SELECT count(*) FROM scraped_videos", ct), await ScalarAsync(conn, "SELECT count(*) FROM video_snapshots", ct));
        return new MonitorBenchCounts(videos, snapshots, predictions, matured, due, confusion.Count);
    }

    /// <summary>The scored videos (posted over the weeks), then the new ones (posted in the last 3 days), ids from 1.</summary>
    private static IEnumerable<(long Id, ScrapedVideoRecord Video)> AllVideos(MonitorBenchSizes sizes, DateTimeOffset now)
    {
        long id = 0;
        var scored = new DemoDataOptions { Videos = sizes.Videos, Analyzed = 0, Seed = sizes.Seed, Now = now, PostingWindowDays = 7 * sizes.Weeks, ShiftedWeeks = 0 };
        foreach (var v in DemoDataGenerator.GenerateVideos(scored))
            yield return (++id, v);
        var fresh = scored with { Videos = sizes.NewVideos, Seed = sizes.Seed + 1, PostingWindowDays = 3 };
        foreach (var v in DemoDataGenerator.GenerateVideos(fresh))
            yield return (++id, v with { VideoId = "n" + v.VideoId }); // another seed's ids, kept apart
    }

    /// <summary>The first within a day of posting, the last at most 3 weeks after it and not after now; strictly increasing.</summary>
    internal static DateTimeOffset[] ScrapeTimes(DateTimeOffset posted, DateTimeOffset now, int count)
    {
        var first = posted + TimeSpan.FromTicks(Math.Min(TimeSpan.FromHours(18).Ticks, (now - posted).Ticks / (count + 1)));
        var last = posted.AddDays(21) < now ? posted.AddDays(21) : now;
        var times = new DateTimeOffset[count];
        for (var k = 0; k < count; k++)
            times[k] = WholeSeconds(first + (last - first) * k / (count - 1));
        return times;
    }

    /// <summary>Share of the current counts at scrape <paramref name="k"/>: 60 % at the first, all at the last.</summary>
    private static double Share(int k, int count) => 0.6 + 0.4 * Math.Sqrt((double)k / (count - 1));

    private static long Part(long count, double share) => (long)Math.Floor(count * share);

    private static DateTimeOffset WholeSeconds(DateTimeOffset t) => t.AddTicks(-(t.Ticks % TimeSpan.TicksPerSecond));

    private static float[] Probabilities(int tier)
    {
        var p = new float[TierScheme.TierCount];
        for (var t = 1; t <= p.Length; t++)
            p[t - 1] = Spread[Math.Clamp(t - tier + 2, 0, Spread.Length - 1)];
        var sum = p.Sum();
        for (var i = 0; i < p.Length; i++)
            p[i] /= sum;
        return p;
    }

    private static string Hash(float[] features)
    {
        Span<byte> bytes = stackalloc byte[features.Length * sizeof(float)];
        for (var i = 0; i < features.Length; i++)
            BitConverter.TryWriteBytes(bytes[(i * sizeof(float))..], features[i]);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    private static string FeaturesJson(float[] features, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            var names = FeatureSet.Seed15.FeatureNames;
            for (var i = 0; i < names.Count; i++)
                writer.WriteNumber(names[i], features[i]);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static async Task WriteAsync(NpgsqlBinaryImporter copy, long? value, CancellationToken ct)
    {
        if (value is { } v) await copy.WriteAsync(v, NpgsqlDbType.Bigint, ct);
        else await copy.WriteNullAsync(ct);
    }

    private static async Task WriteAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken ct)
    {
        if (value is not null) await copy.WriteAsync(value, NpgsqlDbType.Text, ct);
        else await copy.WriteNullAsync(ct);
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
    }

    private static async Task ExecuteAsync(NpgsqlConnection conn, string sql, CancellationToken ct, NpgsqlTransaction? tx = null)
    {
        await using var command = new NpgsqlCommand(sql, conn, tx) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
