using MathNet.Numerics.Statistics;
using ViralityDashboard.DemoAndBenchmarks.Demo;

namespace ViralityDashboard.DemoAndBenchmarks.Tests.Demo;

/// <summary>The demo videos' scrape history (issue 12 §8): what the scoring and maturing passes read.</summary>
public class DemoSnapshotsTests
{
    // A Sunday noon: the current week (from Monday 23 Feb) is partly there, the three before it are shifted.
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DemoDataOptions Options = new() { Now = Now, Videos = 5_000, Analyzed = 0, Seed = 42, PostingWindowDays = DemoDataOptions.DashboardPostingWindowDays };
    private static readonly Lazy<(Dictionary<string, Core.Videos.ScrapedVideoRecord> Videos, ILookup<string, DemoSnapshot> History)> Data = new(() =>
        (DemoDataGenerator.GenerateVideos(Options).ToDictionary(v => v.VideoId),
         DemoDataGenerator.GenerateSnapshots(Options).ToLookup(s => s.VideoId)));

    [Fact]
    public void GivesEveryVideoAtLeastTwoScrapesInTimeOrderTheFirstWithinADayOfPosting()
    {
        var (videos, history) = Data.Value;

        Assert.Equal(videos.Count, history.Count);
        Assert.All(history, scrapes =>
        {
            var list = scrapes.ToList();
            var posted = videos[scrapes.Key].CreatedAt!.Value;
            Assert.True(list.Count >= 2, $"{scrapes.Key} has {list.Count} scrape(s)");
            Assert.InRange(list[0].ScrapedAt, posted, posted.AddDays(1));
            Assert.True(list.Zip(list.Skip(1)).All(p => p.First.ScrapedAt < p.Second.ScrapedAt), $"{scrapes.Key}'s scrapes are not in time order");
            Assert.True(list[^1].ScrapedAt <= Now);
        });
    }

    [Fact]
    public void EndsEachHistoryWithTheVideosCurrentCounts()
    {
        var (videos, history) = Data.Value;

        Assert.All(history, scrapes =>
        {
            var v = videos[scrapes.Key];
            var last = scrapes.Last();
            Assert.Equal((v.Views, v.Likes, v.Shares, v.Comments, v.Saves), (last.Views, last.Likes, last.Shares, last.Comments, last.Saves));
        });
    }

    [Fact]
    public void NeverLetsACountDecreaseFromOneScrapeToTheNext()
    {
        var (_, history) = Data.Value;

        Assert.All(history, scrapes => Assert.All(scrapes.Zip(scrapes.Skip(1)), p =>
        {
            Assert.True(p.First.Views <= p.Second.Views && p.First.Likes <= p.Second.Likes && p.First.Shares <= p.Second.Shares);
            Assert.True((p.First.Comments ?? 0) <= (p.Second.Comments ?? 0) && (p.First.Saves ?? 0) <= (p.Second.Saves ?? 0));
        }));
    }

    [Fact]
    public void KeepsScrapingForAFewWeeksAfterPosting()
    {
        var (videos, history) = Data.Value;

        var old = history.Where(h => videos[h.Key].CreatedAt < Now.AddDays(-30)).ToList();
        Assert.NotEmpty(old);
        Assert.All(old, h => Assert.InRange((h.Last().ScrapedAt - videos[h.Key].CreatedAt!.Value).TotalDays, 21, 28));
        Assert.Contains(videos.Values, v => v.CreatedAt > Now.AddDays(-7)); // not mature yet
    }

    [Fact]
    public void PostsTheDashboardsVideosOverTheLastTenWeeks()
    {
        var (videos, _) = Data.Value;

        Assert.All(videos.Values, v => Assert.InRange(v.CreatedAt!.Value, Now.AddDays(-71), Now));
        Assert.Contains(videos.Values, v => v.CreatedAt < Now.AddDays(-63));
    }

    [Fact]
    public void GrowsEarlyViewsMuchSlowerInTheShiftedWeeksThanInTheOthers()
    {
        var (videos, history) = Data.Value;
        var early = history
            .Where(h => h.Last().Views >= 100 && videos[h.Key].CreatedAt < Now.AddDays(-7))
            .Select(h => (Shifted: DemoDataGenerator.IsShiftedWeek(h.First().ScrapedAt, Options), Share: (double)h.First().Views / h.Last().Views))
            .ToList();

        var shifted = early.Where(e => e.Shifted).Select(e => e.Share).ToList();
        var usual = early.Where(e => !e.Shifted).Select(e => e.Share).ToList();

        Assert.True(shifted.Count > 500, $"{shifted.Count} matured videos in the shifted weeks");
        Assert.True(usual.Count > 2_000, $"{usual.Count} matured videos in the other weeks");
        // Usually about a third of a video's views are in by its first scrape (a few hours to a day after posting); in
        // the shifted weeks under a fifth.
        Assert.InRange(usual.Median(), 0.25, 0.5);
        Assert.InRange(shifted.Median(), 0.05, 0.2);
        Assert.True(shifted.Median() < usual.Median() / 2, $"shifted {shifted.Median():F3} vs usual {usual.Median():F3}");
    }

    [Fact]
    public void ShiftsThreeWholeWeeksEndingFourWeeksBeforeTheCurrentOne()
    {
        var shifted = Enumerable.Range(0, 8).Select(w => DemoDataGenerator.IsShiftedWeek(Now.AddDays(-7 * w), Options)).ToArray();

        Assert.Equal([false, false, false, false, true, true, true, false], shifted);
        Assert.Equal([false, true, true, true, false, false, false, false],
            Enumerable.Range(0, 8).Select(w => DemoDataGenerator.IsShiftedWeek(Now.AddDays(-7 * w), Options with { ShiftEndsWeeksAgo = 1 })));
        Assert.False(DemoDataGenerator.IsShiftedWeek(Now.AddDays(-7), Options with { ShiftedWeeks = 0 }));
        Assert.Equal(new DateOnly(2026, 2, 23), DemoDataGenerator.WeekOf(Now));
    }

    [Fact]
    public void GivesIdenticalHistoriesForTheSameSeedAndDifferentOnesForAnother()
    {
        var options = Options with { Videos = 500 };

        var first = DemoDataGenerator.GenerateSnapshots(options).ToList();
        var second = DemoDataGenerator.GenerateSnapshots(options).ToList();
        var other = DemoDataGenerator.GenerateSnapshots(options with { Seed = 7 }).ToList();

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }
}
