namespace ViralityDashboard.Core.Videos;

/// <summary>A video's visual analysis (seed 003): nested JSON, and how many flattened features it yields.</summary>
public sealed record AnalyzedVideoRecord(
    string VideoId,
    string AnalysisVersion,
    string VisualAnalysisJson,
    int FeatureCount,
    DateTimeOffset AnalyzedAt);

/// <summary>A person's rating of a video; scores are on 0–1, dimensions are optional.</summary>
public sealed record RatingRecord(
    string VideoId,
    string Rater,
    RaterType RaterType,
    double OverallScore,
    double? Hook,
    double? Pacing,
    double? Payoff,
    double? Originality,
    double? Rewatchable,
    string? Notes,
    DateTimeOffset RatedAt,
    double SecondsSpent);

public enum RaterType
{
    Owner,
    Other,
}
