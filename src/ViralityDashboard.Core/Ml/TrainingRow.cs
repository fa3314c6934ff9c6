namespace ViralityDashboard.Core.Ml;

/// <summary>
/// One labelled row a run trains or tests on. A struct: a run holds a million of them while the app serves requests,
/// and as objects each was copied from generation to generation by the garbage collector while the rows were read
/// (pauses of 60–90 ms); as values in one large array, only their strings and features are separate objects.
/// </summary>
/// <param name="Id">The video's id: several rows of one video (point-in-time rows of several ages) share it, and a split keeps them on one side.</param>
/// <param name="IsTest">The side of a predefined split (the bundled set); null when the run splits.</param>
/// <param name="Seen">Set on point-in-time and served rows: the measure and age at observation, and the matured measure.</param>
public readonly record struct TrainingRow(string Id, float[] Features, int Label, DateTimeOffset? PostedAt, bool? IsTest = null, Observation? Seen = null);
