using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.DemoAndBenchmarks.Demo;

/// <summary>What <see cref="DemoDataGenerator"/> produces; the same options always give the same data.</summary>
public sealed record DemoDataOptions
{
    /// <summary>Number of scraped videos.</summary>
    public int Videos { get; init; } = 5_000;

    /// <summary>Number of those videos that get a visual analysis and one owner rating (at most <see cref="Videos"/>).</summary>
    public int Analyzed { get; init; } = 300;

    /// <summary>
    /// Further analyzed videos that the owner has not rated yet: the rating queue's "most uncertain first"
    /// order needs some. Drawn after the rated ones, so the rated set does not depend on this number.
    /// </summary>
    public int AwaitingRating { get; init; }

    /// <summary>What the dashboard's first start seeds: a queue of analyzed videos waiting for the owner.</summary>
    public const int DashboardAwaitingRating = 40;

    public int Seed { get; init; } = 42;

    /// <summary>The reference time: every posting, analysis and rating lies before it. Core reads no clock.</summary>
    public required DateTimeOffset Now { get; init; }

    public string AnalysisVersion { get; init; } = "v3";

    /// <summary>Videos are posted over this many days before <see cref="Now"/> (about 18 months).</summary>
    public int PostingWindowDays { get; init; } = 548;

    /// <summary>
    /// What the dashboard's first start and seed-demo post over: 10 weeks, so realized performance has weeks to show
    /// (about 500 videos each) and the last 7 days are not mature yet.
    /// </summary>
    public const int DashboardPostingWindowDays = 70;

    /// <summary>
    /// Whole weeks whose videos' views grow slowly after posting, so a model reading their first scrape is visibly less
    /// accurate there (the dip realized accuracy shows); 0 for none. They end <see cref="ShiftEndsWeeksAgo"/> weeks before
    /// the week of <see cref="Now"/>.
    /// </summary>
    public int ShiftedWeeks { get; init; } = 3;

    /// <summary>
    /// How many weeks before the current one the shifted weeks end (4: weeks −6 to −4). Not the latest matured weeks:
    /// a point-in-time run holds out the videos first seen last, and its served accuracy should describe the usual weeks
    /// a creator is in now, not a past shift (issue 23 §6).
    /// </summary>
    public int ShiftEndsWeeksAgo { get; init; } = 4;

    /// <summary>The owner's rater name on the generated ratings.</summary>
    public string OwnerRater { get; init; } = "owner";

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Videos);
        ArgumentOutOfRangeException.ThrowIfNegative(Analyzed);
        ArgumentOutOfRangeException.ThrowIfNegative(AwaitingRating);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Analyzed + AwaitingRating, Videos);
        ArgumentOutOfRangeException.ThrowIfLessThan(PostingWindowDays, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(ShiftedWeeks);
        ArgumentOutOfRangeException.ThrowIfLessThan(ShiftEndsWeeksAgo, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(AnalysisVersion);
        ArgumentException.ThrowIfNullOrWhiteSpace(OwnerRater);
    }
}

/// <summary>Generated demo data: the analyzed videos are a subset of <see cref="Videos"/>, each rated once by the owner.</summary>
public sealed record DemoDataSet(
    IReadOnlyList<ScrapedVideoRecord> Videos,
    IReadOnlyList<AnalyzedVideoRecord> AnalyzedVideos,
    IReadOnlyList<RatingRecord> Ratings);

/// <summary>One scrape of a demo video: its counts at <paramref name="ScrapedAt"/> (a <c>video_snapshots</c> row).</summary>
public readonly record struct DemoSnapshot(string VideoId, DateTimeOffset ScrapedAt, long Views, long Likes, long Shares, long? Comments, long? Saves);
