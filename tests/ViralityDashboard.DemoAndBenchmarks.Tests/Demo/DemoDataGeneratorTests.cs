using System.Text.Json;
using MathNet.Numerics.LinearRegression;
using MathNet.Numerics.Statistics;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.DemoAndBenchmarks.Demo;

namespace ViralityDashboard.DemoAndBenchmarks.Tests.Demo;

public class DemoDataGeneratorTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    // The dashboard's first-start seeding: 5,000 videos, 300 analyzed and rated.
    private static readonly DemoDataOptions Default = new() { Now = Now, Videos = 5_000, Analyzed = 300, Seed = 42 };
    private static readonly Lazy<DemoDataSet> DefaultSet = new(() => DemoDataGenerator.Generate(Default));

    // Seed 003 §4.2, written out here rather than read from the generator, so the test checks the seed.
    private static readonly string[] ExpectedPositive =
    [
        "script.replicability.score",
        "script.humor.comedyTiming",
        "standalone.worksWithoutContext",
        "comedyStyle.contrastMechanism.present",
        "flexibility.swappableCore",
        "script.structure.payoffStrength",
    ];

    private static readonly string[] ExpectedNegative =
    [
        "trends.memeDependent",
        "trends.usesPremadeSound",
        "casting.actingSkillRequired",
        "production.shotComplexity",
        "audio.soundEffects_count",
        "flexibility.industryLock",
        "casting.attractivenessDependency",
    ];

    [Fact]
    public void GivesIdenticalDataForTheSameSeed()
    {
        var options = Default with { Videos = 800, Analyzed = 60 };

        var first = DemoDataGenerator.Generate(options);
        var second = DemoDataGenerator.Generate(options);

        Assert.Equal(Serialize(first), Serialize(second));
    }

    [Fact]
    public void AnalyzesFurtherVideosAwaitingRatingWithoutChangingTheRatedOnes()
    {
        var options = Default with { Videos = 800, Analyzed = 60 };

        var plain = DemoDataGenerator.Generate(options);
        var withQueue = DemoDataGenerator.Generate(options with { AwaitingRating = 15 });

        Assert.Equal(75, withQueue.AnalyzedVideos.Count);
        Assert.Equal(Serialize(plain with { Videos = [] }), Serialize(withQueue with { Videos = [], AnalyzedVideos = withQueue.AnalyzedVideos.Take(60).ToList() }));
        var rated = withQueue.Ratings.Select(r => r.VideoId).ToHashSet();
        Assert.All(withQueue.AnalyzedVideos.Skip(60), a => Assert.DoesNotContain(a.VideoId, rated));
    }

    [Fact]
    public void GivesDifferentDataForADifferentSeed()
    {
        var options = Default with { Videos = 800, Analyzed = 60 };

        var first = DemoDataGenerator.Generate(options);
        var other = DemoDataGenerator.Generate(options with { Seed = 43 });

        Assert.NotEqual(first.Videos.Select(v => v.VideoId), other.Videos.Select(v => v.VideoId));
        Assert.NotEqual(first.Videos.Select(v => v.Views), other.Videos.Select(v => v.Views));
        Assert.NotEqual(first.Ratings.Select(r => r.OverallScore), other.Ratings.Select(r => r.OverallScore));
    }

    [Fact]
    public void StreamsTheSameVideosThatTheFullDataSetContains()
    {
        var streamed = DemoDataGenerator.GenerateVideos(Default).ToList();

        Assert.Equal(JsonSerializer.Serialize(DefaultSet.Value.Videos), JsonSerializer.Serialize(streamed));
    }

    [Fact]
    public void StreamsLazilySoHugeCountsCostOnlyWhatIsRead()
    {
        var options = Default with { Videos = int.MaxValue, Analyzed = 0 };

        var firstFew = DemoDataGenerator.GenerateVideos(options).Take(5).ToList();

        Assert.Equal(5, firstFew.Count);
    }

    [Fact]
    public void RefusesMoreAnalyzedVideosThanVideos()
    {
        var options = Default with { Videos = 10, Analyzed = 11 };

        Assert.Throws<ArgumentOutOfRangeException>(() => DemoDataGenerator.Generate(options));
    }

    [Fact]
    public void GivesEveryVideoAUniqueNineteenDigitNumericId()
    {
        var ids = DefaultSet.Value.Videos.Select(v => v.VideoId).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[1-9][0-9]{18}$", id));
    }

    [Fact]
    public void PostsEveryVideoWithinTheLastEighteenMonthsAndNeverInTheFuture()
    {
        var videos = DefaultSet.Value.Videos;

        Assert.All(videos, v => Assert.InRange(v.CreatedAt!.Value, Now.AddDays(-550), Now));
        Assert.Contains(videos, v => v.CreatedAt < Now.AddDays(-365));
        Assert.Contains(videos, v => v.CreatedAt > Now.AddDays(-7));
    }

    [Fact]
    public void AnalyzesAndRatesAfterPostingAndBeforeTheReferenceTime()
    {
        var set = DefaultSet.Value;
        var postedAt = set.Videos.ToDictionary(v => v.VideoId, v => v.CreatedAt!.Value);

        Assert.All(set.AnalyzedVideos, a => Assert.InRange(a.AnalyzedAt, postedAt[a.VideoId], Now));
        Assert.All(set.Ratings, r => Assert.InRange(r.RatedAt, postedAt[r.VideoId], Now));
        Assert.All(set.Ratings, r => Assert.True(r.RatedAt < Now));
    }

    [Fact]
    public void KeepsAllCountsNonNegative()
    {
        var videos = DefaultSet.Value.Videos;

        Assert.All(videos, v =>
        {
            Assert.True(v.Views >= 0 && v.Likes >= 0 && v.Comments >= 0 && v.Shares >= 0);
            Assert.True(v.Saves is null or >= 0);
            Assert.True(v.AuthorFollowers is null or > 0);
        });
    }

    [Fact]
    public void MakesViewsHeavyTailed()
    {
        var views = DefaultSet.Value.Videos.Select(v => (double)v.Views).ToArray();

        var median = views.Median();
        var mean = views.Mean();
        var p99 = views.Quantile(0.99);

        Assert.True(mean > 5 * median, $"mean {mean:N0} vs median {median:N0}");
        Assert.True(p99 / median > 100, $"p99/p50 {p99 / median:N0}");
    }

    [Fact]
    public void GivesMoreViewsToCreatorsWithMoreFollowers()
    {
        var known = DefaultSet.Value.Videos.Where(v => v.AuthorFollowers is not null && v.Views > 0).ToList();

        var r = Correlation.Spearman(known.Select(v => (double)v.AuthorFollowers!.Value), known.Select(v => (double)v.Views));

        Assert.True(r > 0.5, $"Spearman r {r:F2}");
    }

    [Fact]
    public void KeepsEngagementRatesNearTikTokTypicalValues()
    {
        var videos = DefaultSet.Value.Videos.Where(v => v.Views > 0).ToList();

        double MedianRate(Func<ScrapedVideoRecord, long?> count) =>
            videos.Where(v => count(v) is not null).Select(v => (double)count(v)!.Value / v.Views).Median();

        Assert.InRange(MedianRate(v => v.Likes), 0.02, 0.08);
        Assert.InRange(MedianRate(v => v.Comments), 0.0001, 0.002);
        Assert.InRange(MedianRate(v => v.Shares), 0.0002, 0.003);
        Assert.InRange(MedianRate(v => v.Saves), 0.0005, 0.005);
    }

    [Fact]
    public void SpreadsCreatorsFromNanoToMegaWithSomeFollowerCountsUnknown()
    {
        var videos = DefaultSet.Value.Videos;
        var followers = videos.Where(v => v.AuthorFollowers is not null).Select(v => v.AuthorFollowers!.Value).ToList();

        Assert.Contains(followers, f => f < 10_000);
        Assert.Contains(followers, f => f is >= 10_000 and < 100_000);
        Assert.Contains(followers, f => f is >= 100_000 and < 1_000_000);
        Assert.Contains(followers, f => f >= 1_000_000);
        Assert.Contains(videos, v => v.AuthorFollowers is null);
        Assert.True(videos.Select(v => v.AuthorHandle).Distinct().Count() > 50);
    }

    [Fact]
    public void KeepsDurationsHashtagsAndSoundsPlausible()
    {
        var videos = DefaultSet.Value.Videos;

        Assert.All(videos, v => Assert.True(v.DurationSeconds is null or 0 or (>= 5 and <= 180)));
        Assert.Contains(videos, v => v.DurationSeconds is null);
        Assert.All(videos, v => Assert.InRange(v.Hashtags.Count, 0, 10));
        Assert.All(videos, v => Assert.Equal(v.Hashtags.Count, v.Hashtags.Distinct().Count()));
        Assert.Contains(videos, v => v.Hashtags.Count == 0);
        Assert.Contains(videos, v => v.SoundOriginal == true && v.SoundName!.StartsWith("original sound - ", StringComparison.Ordinal));
        Assert.Contains(videos, v => v.SoundOriginal == false);
    }

    [Fact]
    public void IncludesAFewPlausibleScrapeGlitches()
    {
        var videos = DefaultSet.Value.Videos;

        var flagged = videos.Count(v => v.Flags != DataQualityFlags.None);

        Assert.Contains(videos, v => v.Flags.HasFlag(DataQualityFlags.ZeroViewsWithEngagement));
        Assert.Contains(videos, v => v.Flags.HasFlag(DataQualityFlags.ZeroDuration));
        Assert.InRange(flagged, 1, videos.Count / 50);
    }

    [Fact]
    public void AnalyzesASubsetOfTheVideosAndTheOwnerRatesEachOnce()
    {
        var set = DefaultSet.Value;
        var videoIds = set.Videos.Select(v => v.VideoId).ToHashSet();

        Assert.Equal(300, set.AnalyzedVideos.Count);
        Assert.Equal(300, set.AnalyzedVideos.Select(a => a.VideoId).Distinct().Count());
        Assert.All(set.AnalyzedVideos, a => Assert.Contains(a.VideoId, videoIds));
        Assert.All(set.AnalyzedVideos, a => Assert.Equal("v3", a.AnalysisVersion));
        Assert.Equal(set.AnalyzedVideos.Select(a => a.VideoId).Order(), set.Ratings.Select(r => r.VideoId).Order());
        Assert.All(set.Ratings, r => Assert.Equal(("owner", RaterType.Owner), (r.Rater, r.RaterType)));
    }

    [Fact]
    public void WritesAnalysesWithAtLeastAHundredFeaturesIncludingTheSeedKeys()
    {
        var analyses = DefaultSet.Value.AnalyzedVideos;

        Assert.All(analyses, a =>
        {
            var features = AnalysisFlattener.Flatten(a.VisualAnalysisJson);
            Assert.Equal(features.Count, a.FeatureCount);
            Assert.True(a.FeatureCount >= 100, $"{a.FeatureCount} features");
            Assert.All(ExpectedPositive.Concat(ExpectedNegative), key => Assert.True(features.ContainsKey(key), key));
            Assert.Contains(features.Keys, k => k.StartsWith("comedyStyle.", StringComparison.Ordinal));
            Assert.Contains(features.Keys, k => k.StartsWith("casting.", StringComparison.Ordinal));
            Assert.Contains(features.Keys, k => k.StartsWith("production.", StringComparison.Ordinal));
        });
    }

    [Fact]
    public void WritesSoundEffectsAsAnArrayOfStrings()
    {
        var analyses = DefaultSet.Value.AnalyzedVideos;

        var soundEffects = analyses
            .Select(a => JsonDocument.Parse(a.VisualAnalysisJson).RootElement.GetProperty("audio").GetProperty("soundEffects"))
            .ToList();

        Assert.All(soundEffects, s => Assert.Equal(JsonValueKind.Array, s.ValueKind));
        Assert.All(soundEffects.SelectMany(s => s.EnumerateArray()), e => Assert.Equal(JsonValueKind.String, e.ValueKind));
        Assert.Contains(soundEffects, s => s.GetArrayLength() == 0);
        Assert.Contains(soundEffects, s => s.GetArrayLength() >= 2);
    }

    [Fact]
    public void KeepsEveryScoreBetweenZeroAndOne()
    {
        var ratings = DefaultSet.Value.Ratings;

        var scores = ratings.SelectMany(r => new[] { r.OverallScore, r.Hook, r.Pacing, r.Payoff, r.Originality, r.Rewatchable })
            .Where(s => s is not null)
            .Select(s => s!.Value);

        Assert.All(scores, s => Assert.InRange(s, 0, 1));
        Assert.Contains(ratings, r => r.Hook is not null && r.Rewatchable is not null);
        Assert.Contains(ratings, r => r.Notes is not null);
        Assert.All(ratings, r => Assert.True(r.SecondsSpent > 0));
        Assert.InRange(ratings.Select(r => r.OverallScore).StandardDeviation(), 0.1, 0.3);
    }

    [Fact]
    public void CorrelatesRatingsWithTheSeedsExpectedFeaturesInTheExpectedDirection()
    {
        var (features, overall) = RatedFeatures(DefaultSet.Value);

        foreach (var key in ExpectedPositive)
        {
            var r = Correlation.Pearson(Column(features, key), overall);
            Assert.True(r >= 0.3, $"{key}: r = {r:F2}, expected ≥ 0.3");
        }

        foreach (var key in ExpectedNegative)
        {
            var r = Correlation.Pearson(Column(features, key), overall);
            Assert.True(r <= -0.3, $"{key}: r = {r:F2}, expected ≤ -0.3");
        }
    }

    [Fact]
    public void LeavesEnoughNoiseThatALinearModelOnTheExpectedFeaturesExplainsMostButNotAll()
    {
        var (features, overall) = RatedFeatures(DefaultSet.Value);
        var keys = ExpectedPositive.Concat(ExpectedNegative).ToArray();
        var x = features.Select(f => keys.Select(k => f.TryGetValue(k, out var v) ? v.AsNumber() ?? 0 : 0).ToArray()).ToArray();

        var coefficients = MultipleRegression.QR(x, overall, intercept: true);
        var predicted = x.Select(row => coefficients[0] + row.Select((v, i) => v * coefficients[i + 1]).Sum()).ToArray();
        var r2 = Math.Pow(Correlation.Pearson(predicted, overall), 2);

        Assert.InRange(r2, 0.6, 0.9);
    }

    [Fact]
    public void PublishesATasteModelWhoseSignsMatchTheSeed()
    {
        Assert.Equal(ExpectedPositive.Order(), DemoRatingModel.PositiveFeatures.Order());
        Assert.Equal(ExpectedNegative.Order(), DemoRatingModel.NegativeFeatures.Order());
    }

    private static (List<IReadOnlyDictionary<string, FeatureValue>> Features, double[] Overall) RatedFeatures(DemoDataSet set)
    {
        var analyses = set.AnalyzedVideos.ToDictionary(a => a.VideoId, a => AnalysisFlattener.Flatten(a.VisualAnalysisJson));
        return (set.Ratings.Select(r => analyses[r.VideoId]).ToList(), set.Ratings.Select(r => r.OverallScore).ToArray());
    }

    private static double[] Column(List<IReadOnlyDictionary<string, FeatureValue>> features, string key) =>
        features.Select(f => f[key].AsNumber() ?? 0).ToArray();

    private static string Serialize(DemoDataSet set) => JsonSerializer.Serialize(set);
}
