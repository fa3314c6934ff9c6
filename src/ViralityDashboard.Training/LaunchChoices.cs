namespace ViralityDashboard.Training;

/// <summary>The options a launch may choose, as the page and the API offer them.</summary>
public static class LaunchChoices
{
    public static readonly IReadOnlyList<string> FeatureSets = ["seed15", "pre-posting"];
    public static readonly IReadOnlyList<string> TierSchemes = ["views", "wes"];
    public static readonly IReadOnlyList<string> Trainers = ["lbfgs", "lightgbm", "forest"];
    public static readonly IReadOnlyList<string> Splits = ["stratified", "hash", "time"];
}
