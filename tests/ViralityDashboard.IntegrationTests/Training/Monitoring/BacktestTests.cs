using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training.Engagement;
using ViralityDashboard.Training.Monitoring;

namespace ViralityDashboard.IntegrationTests.Training.Monitoring;

/// <summary>Issue 12 §7: a backtest scores a version on every matured video since a date, judged by its own tiers, week by week.</summary>
public sealed class BacktestTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task BacktestWeeksEqualADirectRecomputationFromTheVideos()
    {
        var (db, active) = await MonitoringFixtures.TrainedAsync(postgres);
        await using var _ = db;
        // First seen over five weeks, a later snapshot with grown counts (but one video in six never scraped again: its
        // only snapshot is both inputs and outcome, so it says nothing about forecasting), and some videos not mature yet.
        await db.ExecuteAsync("UPDATE video_snapshots SET scraped_at = scraped_at - (video_id % 5) * interval '7 days' - interval '10 days'");
        await db.ExecuteAsync("""
            INSERT INTO video_snapshots (video_id, scraped_at, views, likes, shares, comments, saves)
            SELECT id, now() - interval '1 hour', views + views * (id % 4), likes, shares, comments, saves FROM scraped_videos WHERE id % 6 <> 0
            """);
        await db.ExecuteAsync("UPDATE scraped_videos SET created_at = now() - interval '3 days' WHERE id % 7 = 0");
        var from = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-31));

        var report = await db.Get<BacktestService>().RunAsync(active.VersionTag, from);

        var expected = await DirectlyAsync(db, active.VersionTag, from);
        Assert.Equal((active.VersionTag, (DateOnly?)from), (report.Tag, report.From));
        Assert.Equal(expected.Keys.Order(), report.Weeks.Select(w => w.Week));
        Assert.True(report.Weeks.Count >= 3, $"weeks: {report.Weeks.Count}");
        foreach (var w in report.Weeks)
        {
            var e = expected[w.Week];
            Assert.Equal(e.Count, w.Matured);
            Assert.Equal(e.Accuracy, w.Accuracy, 12);
            Assert.Equal(e.MacroF1, w.MacroF1, 12);
            Assert.Equal(e.QuadraticWeightedKappa, w.Kappa, 12);
            Assert.Equal(e.WithinOneTierAccuracy, w.WithinOne, 12);
        }
        Assert.Equal(await db.ScalarAsync($"""
            SELECT count(*) FROM scraped_videos
            WHERE id % 6 = 0 AND quality_flags = 0 AND created_at <= now() - interval '7 days'
              AND (SELECT min(scraped_at) FROM video_snapshots WHERE video_id = scraped_videos.id) >= '{from:yyyy-MM-dd}'
            """), report.NoLaterSnapshot);
        Assert.True(report.NoLaterSnapshot > 10, $"videos seen once: {report.NoLaterSnapshot}");
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM prediction_log"));
    }

    /// <summary>From the entities and the served prediction path: first snapshot's counts in, latest snapshot's views judged by the version's thresholds.</summary>
    private static async Task<Dictionary<DateOnly, ClassificationMetrics>> DirectlyAsync(TestDatabase db, string tag, DateOnly from)
    {
        var model = await db.Get<ActiveModelCache>().GetByTagAsync(tag);
        var thresholds = MonitoringFixtures.Thresholds(await MonitoringFixtures.VersionAsync(db, tag));
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        var videos = await ctx.ScrapedVideos.AsNoTracking().Where(v => v.QualityFlags == DataQualityFlags.None).ToListAsync();
        var snapshots = (await ctx.Set<ViralityDashboard.Data.Entities.VideoSnapshot>().AsNoTracking().ToListAsync()).ToLookup(s => s.VideoId);
        var cells = new List<(DateOnly Week, int Actual, int Predicted)>();
        var fromTime = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        foreach (var v in videos)
        {
            var first = snapshots[v.Id].MinBy(s => s.ScrapedAt)!;
            var latest = snapshots[v.Id].MaxBy(s => s.ScrapedAt)!;
            if ((v.CreatedAt ?? first.ScrapedAt) > DateTimeOffset.UtcNow.AddDays(-7) || first.ScrapedAt < fromTime || latest.ScrapedAt <= first.ScrapedAt)
                continue;
            var record = new ScrapedVideoRecord
            {
                VideoId = v.PlatformVideoId, Views = first.Views, Likes = first.Likes, Shares = first.Shares, Comments = first.Comments, Saves = first.Saves,
                DurationSeconds = v.DurationSeconds, Hashtags = v.Hashtags, SoundName = v.SoundName, SoundOriginal = v.SoundOriginal,
                Description = v.Description, CreatedAt = v.CreatedAt, AuthorFollowers = v.AuthorFollowers, AuthorVerified = v.AuthorVerified,
            };
            var day = DateOnly.FromDateTime(first.ScrapedAt.UtcDateTime);
            cells.Add((day.AddDays(-(((int)day.DayOfWeek + 6) % 7)), thresholds.Assign(latest.Views), PredictionService.Predict(model, record).Tier));
        }
        return cells.GroupBy(c => c.Week).ToDictionary(g => g.Key,
            g => Metrics.Evaluate(g.Select(c => c.Actual).ToList(), g.Select(c => c.Predicted).ToList()));
    }

    [Fact]
    public async Task BadInputGetsAClearError()
    {
        var (db, active) = await MonitoringFixtures.TrainedAsync(postgres);
        await using var _ = db;
        var backtest = db.Get<BacktestService>();

        var unknown = await Assert.ThrowsAsync<ModelRegistryException>(() => backtest.RunAsync("eng-nope", null));
        var badDate = Assert.Throws<ArgumentException>(() => BacktestService.ParseFrom("2026-13-01"));
        await db.ExecuteAsync($"UPDATE model_versions SET status = 'rejected', is_active = false WHERE id = {active.Id}");
        var rejected = await Assert.ThrowsAsync<BacktestRefusedException>(() => backtest.RunAsync(active.VersionTag, null));

        Assert.Contains("'eng-nope'", unknown.Message);
        Assert.Equal("'from' must be a date as YYYY-MM-DD, not '2026-13-01'.", badDate.Message);
        Assert.Contains("rejected", rejected.Message);
    }
}
