namespace ViralityDashboard.Core.Ml;

/// <summary>
/// One labelled row a run trains or tests on. A struct: a run holds a million of them while the app serves requests,
/// and as objects each was copied from generation to generation by the garbage collector while the rows were read
/// (pauses of 60–90 ms); as values in one large array, only their strings and features are separate objects.
/// </summary>
/// <param name="IsTest">The side of a predefined split (the bundled set); null when the run splits.</param>
public readonly record struct TrainingRow(string Id, float[] Features, int Label, DateTimeOffset? PostedAt, bool? IsTest = null);
