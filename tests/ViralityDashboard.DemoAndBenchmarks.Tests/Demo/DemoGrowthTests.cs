using MathNet.Numerics.LinearRegression;
using MathNet.Numerics.Statistics;
using ViralityDashboard.DemoAndBenchmarks.Demo;
using Xunit.Abstractions;

namespace ViralityDashboard.DemoAndBenchmarks.Tests.Demo;

/// <summary>
/// The demo histories grow as real ones do (issue 23 §6), seen the way point-in-time training sees them: features from a
/// video's first scrape, label from its latest scrape at least 7 days after posting.
/// </summary>
public class DemoGrowthTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    // What seed-demo and the dashboard's first start generate.
    private static readonly DemoDataOptions Dashboard = new()
    {
        Now = Now, Analyzed = 0, Seed = 42, PostingWindowDays = DemoDataOptions.DashboardPostingWindowDays,
    };

    // The same without the drift demo's slow weeks: how histories grow when nothing has changed.
    private static readonly Lazy<List<Row>> Usual = new(() => Rows(Dashboard with { ShiftedWeeks = 0 }));

    private const int MatureAfterDays = 7; // Monitoring:MatureAfterDays' default

    [Fact]
    public void GivesMostVideosAMaturedHistoryWhoseFirstScrapeIsYoung()
    {
        var rows = Rows(Dashboard);

        // Virality:Training:MinimumMaturedVideos' default is 500: a fresh install's first retrain is point-in-time.
        Assert.True(rows.Count >= 500, $"{rows.Count} videos with a matured history");
        Assert.All(rows, r => Assert.InRange(r.AgeHours, 0, 48));
        // Observed at all ages the growth baseline buckets within a day: under 6 hours and 6 to 24 hours.
        Assert.InRange(rows.Count(r => r.AgeHours < 6) / (double)rows.Count, 0.2, 0.8);
        Assert.InRange(rows.Count(r => r.AgeHours is >= 6 and < 24) / (double)rows.Count, 0.2, 0.8);
    }

    [Fact]
    public void RaisesEngagementRatesEarlyAndLowersThemAsViewsGrow()
    {
        var rows = Usual.Value.Where(r => r.First.Views >= 1_000 && r.Matured.Likes > 0).ToList();

        var likeRateFall = rows.Select(r => LikeRate(r.First) / LikeRate(r.Matured)).ToList();

        Assert.True(likeRateFall.Median() >= 1.2, $"median first/matured like rate {likeRateFall.Median():F2}");
        Assert.True(likeRateFall.Count(f => f >= 1) >= 0.95 * likeRateFall.Count, "like rates rose after the first scrape");
        // The share of views that came late (a slow burner) shows in a higher early rate.
        var r = Correlation.Spearman(rows.Select(x => (double)x.Matured.Views / x.First.Views), likeRateFall);
        Assert.True(r > 0.5, $"Spearman r {r:F2} between growth and the like rate's fall");

        static double LikeRate(DemoSnapshot s) => (double)s.Likes / s.Views;
    }

    [Fact]
    public void KeepsEarlyLikesBelowViewsEvenForTheSlowestVideos()
    {
        var histories = DemoDataGenerator.GenerateSnapshots(Dashboard).GroupBy(s => s.VideoId).ToList();

        var clean = histories.Where(h => h.Last().Likes <= h.Last().Views / 2).ToList();

        Assert.All(clean, h => Assert.All(h, s => Assert.True(s.Likes <= s.Views, $"{s.VideoId} at {s.ScrapedAt:O}: {s.Likes} likes, {s.Views} views")));
    }

    [Fact]
    public void GrowsSomeVideosMostlyEarlyAndOthersSlowly()
    {
        var sameAge = Usual.Value.Where(r => r.AgeHours is >= 6 and < 24 && r.First.Views >= 100).ToList();

        var multiples = sameAge.Select(r => (double)r.Matured.Views / r.First.Views).ToList();

        var (p10, p25, p75, p90) = (multiples.Quantile(0.1), multiples.Quantile(0.25), multiples.Quantile(0.75), multiples.Quantile(0.9));
        output.WriteLine($"matured/first views, first seen at 6-24 h: p10 {p10:F2} p25 {p25:F2} median {multiples.Median():F2} p75 {p75:F2} p90 {p90:F2}");
        Assert.True(p75 / p25 >= 1.8, $"p75/p25 {p75 / p25:F2}");
        Assert.True(p10 < 1.5, $"p10 {p10:F2}: few front-loaded videos");
        Assert.True(p90 > 4, $"p90 {p90:F2}: few slow burners");
    }

    [Fact]
    public void LeavesTheGrowthBaselineDecentButBeatableByAModelThatReadsAgeAndEngagement()
    {
        // The split point-in-time training uses: the latest-first-seen fifth is the test set.
        var rows = Usual.Value.OrderBy(r => r.First.ScrapedAt).ToList();
        var train = rows.Take(rows.Count * 4 / 5).ToList();
        var test = rows.Skip(train.Count).ToList();
        var thresholds = new[] { 0.2, 0.4, 0.6, 0.8 }.Select(q => train.Select(r => (double)r.Matured.Views).Quantile(q)).ToArray();
        var actual = test.Select(r => Tier(r.Matured.Views, thresholds)).ToArray();

        // Szabo & Huberman: first-seen views × the training videos' median growth at that age.
        var growth = train.Where(r => r.First.Views > 0).GroupBy(r => Bucket(r.AgeHours))
            .ToDictionary(g => g.Key, g => g.Select(r => (double)r.Matured.Views / r.First.Views).Median());
        var baseline = test.Select(r => Tier(r.First.Views * growth[Bucket(r.AgeHours)], thresholds)).ToArray();

        var viewsAndAge = Regression(train, test, thresholds, withEngagement: false);
        var withEngagement = Regression(train, test, thresholds, withEngagement: true);

        output.WriteLine($"{train.Count} training videos, {test.Count} test videos; median growth by age: "
            + string.Join(", ", growth.OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Value:F2}")));
        Report("growth baseline", baseline);
        output.WriteLine("growth baseline by age at first sight: " + string.Join(", ", test.Select((r, i) => (Bucket(r.AgeHours), i))
            .GroupBy(x => x.Item1).OrderBy(g => g.Key)
            .Select(g => $"{g.Key} {Accuracy([.. g.Select(x => actual[x.i])], [.. g.Select(x => baseline[x.i])]):F3} ({g.Count()} videos)")));
        Report("views + age (log-linear)", viewsAndAge);
        Report("views + age + engagement rates (log-linear)", withEngagement);
        Assert.InRange(Accuracy(actual, baseline), 0.6, 0.8);
        Assert.True(MacroF1(actual, withEngagement) > MacroF1(actual, baseline),
            $"macro-F1 {MacroF1(actual, withEngagement):F3} with engagement vs {MacroF1(actual, baseline):F3} for the baseline");

        void Report(string name, int[] predicted) =>
            output.WriteLine($"{name}: accuracy {Accuracy(actual, predicted):F3}, macro-F1 {MacroF1(actual, predicted):F3}");
    }

    [Fact]
    public void LeavesAModelFittedOnTheUsualWeeksVisiblyLessAccurateOnTheShiftedWeeks()
    {
        var rows = Rows(Dashboard).OrderBy(r => r.First.ScrapedAt).ToList();
        var usual = rows.Where(r => !DemoDataGenerator.IsShiftedWeek(r.First.ScrapedAt, Dashboard)).ToList();
        var shifted = rows.Where(r => DemoDataGenerator.IsShiftedWeek(r.First.ScrapedAt, Dashboard)).ToList();
        var train = usual.Take(usual.Count * 4 / 5).ToList();
        var test = usual.Skip(train.Count).ToList();
        var thresholds = new[] { 0.2, 0.4, 0.6, 0.8 }.Select(q => train.Select(r => (double)r.Matured.Views).Quantile(q)).ToArray();

        var onUsual = Accuracy(test.Select(r => Tier(r.Matured.Views, thresholds)).ToArray(), Regression(train, test, thresholds, withEngagement: true));
        var onShifted = Accuracy(shifted.Select(r => Tier(r.Matured.Views, thresholds)).ToArray(), Regression(train, shifted, thresholds, withEngagement: true));

        output.WriteLine($"{train.Count} usual-week training videos; accuracy on {test.Count} later usual-week videos {onUsual:F3}, "
            + $"on {shifted.Count} shifted-week videos {onShifted:F3}; the latest-first-seen fifth of all {rows.Count} matured videos "
            + $"holds {rows.Skip(rows.Count * 4 / 5).Count(r => DemoDataGenerator.IsShiftedWeek(r.First.ScrapedAt, Dashboard))} shifted-week videos");
        Assert.True(onShifted <= onUsual - 0.15, $"shifted weeks {onShifted:F3} vs usual weeks {onUsual:F3}");
    }

    private static int[] Regression(List<Row> train, List<Row> test, double[] thresholds, bool withEngagement)
    {
        double[] Features(Row r)
        {
            var s = r.First;
            var logAge = Math.Log(r.AgeHours);
            double[] basic = [Math.Log(s.Views + 1), logAge, logAge * logAge];
            return withEngagement
                ? [.. basic, Rate(s.Likes), Rate(s.Comments ?? 0), Rate(s.Shares), Rate(s.Saves ?? 0)]
                : basic;

            double Rate(long count) => Math.Log((count + 1.0) / (s.Views + 1.0));
        }

        var coefficients = MultipleRegression.QR(
            train.Select(Features).ToArray(), train.Select(r => Math.Log(r.Matured.Views + 1)).ToArray(), intercept: true);
        return test.Select(r =>
        {
            var x = Features(r);
            var logViews = coefficients[0] + x.Select((v, i) => v * coefficients[i + 1]).Sum();
            return Tier(Math.Exp(logViews) - 1, thresholds);
        }).ToArray();
    }

    private static string Bucket(double ageHours) => ageHours switch
    {
        < 6 => "<6h",
        < 24 => "6-24h",
        < 48 => "1-2d",
        < 96 => "2-4d",
        _ => "older",
    };

    private static int Tier(double views, double[] thresholds) => 1 + thresholds.Count(t => views > t);

    private static double Accuracy(int[] actual, int[] predicted) =>
        actual.Zip(predicted).Count(p => p.First == p.Second) / (double)actual.Length;

    private static double MacroF1(int[] actual, int[] predicted) =>
        Enumerable.Range(1, 5).Average(tier =>
        {
            var tp = actual.Zip(predicted).Count(p => p.First == tier && p.Second == tier);
            var precision = tp / (double)Math.Max(1, predicted.Count(p => p == tier));
            var recall = tp / (double)Math.Max(1, actual.Count(a => a == tier));
            return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        });

    private sealed record Row(DemoSnapshot First, DemoSnapshot Matured, double AgeHours);

    /// <summary>Videos with a snapshot at least <see cref="MatureAfterDays"/> after posting that is not their first.</summary>
    private static List<Row> Rows(DemoDataOptions options)
    {
        var posted = DemoDataGenerator.GenerateVideos(options).ToDictionary(v => v.VideoId, v => v.CreatedAt!.Value);
        var rows = new List<Row>();
        foreach (var history in DemoDataGenerator.GenerateSnapshots(options).GroupBy(s => s.VideoId))
        {
            var at = posted[history.Key];
            var first = history.First();
            var matured = history.LastOrDefault(s => s.ScrapedAt >= at.AddDays(MatureAfterDays));
            if (matured.VideoId is not null && matured.ScrapedAt > first.ScrapedAt)
                rows.Add(new Row(first, matured, (first.ScrapedAt - at).TotalHours));
        }

        return rows;
    }
}
