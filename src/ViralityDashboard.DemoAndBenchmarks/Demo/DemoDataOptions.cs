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

    /// <summary>The owner's rater name on the generated ratings.</summary>
    public string OwnerRater { get; init; } = "owner";

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Videos);
        ArgumentOutOfRangeException.ThrowIfNegative(Analyzed);
        ArgumentOutOfRangeException.ThrowIfNegative(AwaitingRating);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Analyzed + AwaitingRating, Videos);
        ArgumentException.ThrowIfNullOrWhiteSpace(AnalysisVersion);
        ArgumentException.ThrowIfNullOrWhiteSpace(OwnerRater);
    }
}

/// <summary>Generated demo data: the analyzed videos are a subset of <see cref="Videos"/>, each rated once by the owner.</summary>
public sealed record DemoDataSet(
    IReadOnlyList<ScrapedVideoRecord> Videos,
    IReadOnlyList<AnalyzedVideoRecord> AnalyzedVideos,
    IReadOnlyList<RatingRecord> Ratings);
