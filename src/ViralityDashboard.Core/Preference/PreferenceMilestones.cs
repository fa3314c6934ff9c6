using System.Text.Json.Serialization;

namespace ViralityDashboard.Core.Preference;

[JsonConverter(typeof(JsonStringEnumConverter<PreferenceMilestone>))]
public enum PreferenceMilestone
{
    /// <summary>Fewer than 100 rows: nothing to learn yet.</summary>
    None,
    /// <summary>≥ 100: correlation analysis only, top 20 positive and negative, snapshot.</summary>
    Correlation,
    /// <summary>≥ 200: the first ridge model (target MAE &lt; 0.20).</summary>
    FirstModel,
    /// <summary>≥ 300: retrain, compare with the previous version, prune features with |r| &lt; 0.1.</summary>
    Retrain,
    /// <summary>≥ 500: ridge versus random forest, keep the better.</summary>
    ModelComparison,
}

/// <summary>Row counts at which each milestone starts (seed 003 §8).</summary>
public sealed record MilestoneThresholds(int Correlation = 100, int FirstModel = 200, int Retrain = 300, int ModelComparison = 500)
{
    public int Of(PreferenceMilestone milestone) => milestone switch
    {
        PreferenceMilestone.None => 0,
        PreferenceMilestone.Correlation => Correlation,
        PreferenceMilestone.FirstModel => FirstModel,
        PreferenceMilestone.Retrain => Retrain,
        PreferenceMilestone.ModelComparison => ModelComparison,
        _ => throw new ArgumentOutOfRangeException(nameof(milestone), milestone, null),
    };
}

/// <summary>What a run at this many rows does, and what the next milestone unlocks.</summary>
/// <param name="CompareWithPrevious">A previous version exists and the milestone asks for a comparison.</param>
/// <param name="CompareForest">Also train the random forest and keep the better of it and ridge.</param>
public sealed record MilestonePlan(
    int RowCount,
    PreferenceMilestone Milestone,
    bool RunCorrelation,
    bool TrainModel,
    bool CompareWithPrevious,
    bool PruneFeatures,
    bool CompareForest,
    PreferenceMilestone? Next,
    int? RowsToNext,
    string Summary,
    string? NextUnlocks);

public static class MilestonePlanner
{
    public static MilestonePlan Plan(int rowCount, bool hasPreviousVersion, MilestoneThresholds? thresholds = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        var t = thresholds ?? new MilestoneThresholds();
        if (!(t.Correlation <= t.FirstModel && t.FirstModel <= t.Retrain && t.Retrain <= t.ModelComparison))
            throw new ArgumentException("Milestone thresholds must not decrease.", nameof(thresholds));

        var milestone = rowCount >= t.ModelComparison ? PreferenceMilestone.ModelComparison
            : rowCount >= t.Retrain ? PreferenceMilestone.Retrain
            : rowCount >= t.FirstModel ? PreferenceMilestone.FirstModel
            : rowCount >= t.Correlation ? PreferenceMilestone.Correlation
            : PreferenceMilestone.None;
        var atLeastRetrain = milestone >= PreferenceMilestone.Retrain;
        PreferenceMilestone? next = milestone == PreferenceMilestone.ModelComparison ? null : milestone + 1;
        int? rowsToNext = next is { } n ? t.Of(n) - rowCount : null;

        var summary = milestone switch
        {
            PreferenceMilestone.None => $"{rowCount} rated videos: too few to learn from; nothing is trained.",
            PreferenceMilestone.Correlation => $"{rowCount} rated videos: correlation analysis only (top 20 positive and negative, snapshot); no model yet.",
            PreferenceMilestone.FirstModel => $"{rowCount} rated videos: correlation snapshot and the first ridge model (target MAE < 0.20).",
            PreferenceMilestone.Retrain => hasPreviousVersion
                ? $"{rowCount} rated videos: retrain ridge on features with |r| ≥ 0.1 and compare with the previous version."
                : $"{rowCount} rated videos: train ridge on features with |r| ≥ 0.1 (no previous version to compare with).",
            _ => $"{rowCount} rated videos: ridge and random forest on pruned features; the better one is kept"
                + (hasPreviousVersion ? " and compared with the previous version." : "."),
        };
        var unlocks = next switch
        {
            PreferenceMilestone.Correlation => $"At {t.Correlation} ({rowsToNext} more): correlation analysis and the first feature-importance snapshot.",
            PreferenceMilestone.FirstModel => $"At {t.FirstModel} ({rowsToNext} more): the first ridge model.",
            PreferenceMilestone.Retrain => $"At {t.Retrain} ({rowsToNext} more): retraining with comparison to the previous version and pruning of weak features.",
            PreferenceMilestone.ModelComparison => $"At {t.ModelComparison} ({rowsToNext} more): random forest versus ridge, keeping the better.",
            _ => null,
        };

        return new MilestonePlan(
            rowCount,
            milestone,
            RunCorrelation: milestone >= PreferenceMilestone.Correlation,
            TrainModel: milestone >= PreferenceMilestone.FirstModel,
            CompareWithPrevious: atLeastRetrain && hasPreviousVersion,
            PruneFeatures: atLeastRetrain,
            CompareForest: milestone == PreferenceMilestone.ModelComparison,
            next,
            rowsToNext,
            summary,
            unlocks);
    }
}
