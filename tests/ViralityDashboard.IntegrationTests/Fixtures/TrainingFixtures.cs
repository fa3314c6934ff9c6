using System.Globalization;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Data.Import;

namespace ViralityDashboard.IntegrationTests.Fixtures;

/// <summary>Settings and data for tests that train.</summary>
public static class TrainingFixtures
{
    /// <summary>Fast runs: no cross-validation; by default a gate that accepts anything better than the majority baseline.</summary>
    public static Dictionary<string, string?> Settings(double gate = 0) => new()
    {
        ["Virality:Training:CrossValidationFolds"] = "0",
        ["Virality:Training:GateMinimumAccuracy"] = gate.ToString(CultureInfo.InvariantCulture),
        // These tests are about runs, the lock, the registry and the gate, not the trainer: the fast linear model
        // keeps them quick and their figures (weights, accuracy) what they were before auto became the default.
        ["Virality:Training:Trainer"] = "lbfgs",
    };

    public static Task SeedAsync(TestDatabase db, int videos) =>
        db.Get<VideoImporter>().ImportAsync(SyntheticVideos.Generate(videos, 3), new ImportOptions());
}
