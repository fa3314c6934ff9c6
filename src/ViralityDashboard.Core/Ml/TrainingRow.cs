namespace ViralityDashboard.Core.Ml;

/// <summary>One labelled row a run trains or tests on.</summary>
/// <param name="IsTest">The side of a predefined split (the bundled set); null when the run splits.</param>
public sealed record TrainingRow(string Id, float[] Features, int Label, DateTimeOffset? PostedAt, bool? IsTest = null);
