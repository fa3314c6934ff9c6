using System.Text.Json.Serialization;

namespace ViralityDashboard.Training.Monitoring;

/// <summary>
/// One week of a version's realized performance: its logged predictions observed that week whose videos have matured,
/// judged by the version's own tier thresholds (<c>realized_metrics</c>).
/// </summary>
/// <param name="Week">Monday (UTC) of the week.</param>
/// <param name="AccuracyLow">Lower end of the 95 % Wilson interval of <paramref name="Accuracy"/> (wide when few matured).</param>
/// <param name="Confusion">Counts, rows actual tier, columns predicted tier (5 × 5).</param>
public sealed record RealizedWeekFigures(
    DateOnly Week, int Matured, double Accuracy, double MacroF1, double Kappa, double WithinOne,
    double AccuracyLow, double AccuracyHigh, int[][] Confusion)
{
    /// <summary>
    /// A backtest week: predictions the scoring job made while catching up on videos first seen before the version came
    /// into play. Live weeks (false) are videos that arrived while it served; only those are what the drift trigger reads.
    /// </summary>
    public bool Backfill { get; init; }
}

/// <summary>Which accuracy at training realized accuracy is read against.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AccuracyBasis>))]
public enum AccuracyBasis
{
    /// <summary>The run's served accuracy: its test videos as first seen, tier as matured (issue 23 §4).</summary>
    [JsonStringEnumMemberName("served")] Served,
    /// <summary>The test accuracy, for versions stored without a served figure.</summary>
    [JsonStringEnumMemberName("test")] Test,
}

/// <summary>An engagement version's figures at training beside its realized weeks, oldest week first.</summary>
public sealed record VersionMonitoring(
    string Tag, string FeatureSet, bool IsActive, bool IsShadow, DateTimeOffset TrainedAt,
    double? TestAccuracy, double? TestMacroF1, IReadOnlyList<RealizedWeekFigures> Weeks)
{
    /// <summary>The accuracy the version is served at, from its run; null for versions stored before it was measured.</summary>
    public double? ServedAccuracy { get; init; }

    /// <summary>
    /// Matured predictions (all weeks) not counted in <see cref="Weeks"/>: their video had no snapshot after the one they
    /// were made from (first seen already mature, or never scraped again).
    /// </summary>
    public int NoLaterSnapshot { get; init; }

    /// <summary>
    /// Matured predictions (all weeks) not counted in <see cref="Weeks"/>: their video was first seen by the time the
    /// newest video the version was fitted on was (in-sample, issue 23 §6).
    /// </summary>
    public int InTraining { get; init; }

    /// <summary>What realized accuracy is read against: the served accuracy where it exists, else the test accuracy.</summary>
    public AccuracyBasis Basis => ServedAccuracy is null ? AccuracyBasis.Test : AccuracyBasis.Served;

    /// <summary>The figure of <see cref="Basis"/>; null when the version has neither.</summary>
    public double? ExpectedAccuracy => ServedAccuracy ?? TestAccuracy;
}

/// <summary>
/// What <c>monitor --json</c> and <c>GET /api/monitoring</c> answer:
/// <c>{"versions":[{"tag","testAccuracy","servedAccuracy","basis","expectedAccuracy","noLaterSnapshot","inTraining","weeks":[{…,"backfill"}]}],"log":{"rows","bytes","retention":{…}}}</c>.
/// </summary>
public sealed record MonitoringReport(IReadOnlyList<VersionMonitoring> Versions, PredictionLogSize Log);

/// <summary>
/// How big <c>prediction_log</c> is: rows (PostgreSQL's estimate from <c>pg_class.reltuples</c> once large, a count
/// below that), bytes with its indexes and TOAST (<c>pg_total_relation_size</c>), and the retention in force.
/// </summary>
public sealed record PredictionLogSize(long Rows, bool RowsIsEstimate, long Bytes, PredictionLogRetention Retention);

/// <summary>How long the log keeps each kind of row (<see cref="PredictionLogRetentionOptions"/>); not enforced when <paramref name="Enabled"/> is false.</summary>
public sealed record PredictionLogRetention(bool Enabled, int ServedDays, int PreferenceDays, int MaturedScoringDays)
{
    public static PredictionLogRetention Of(PredictionLogRetentionOptions o) => new(o.Enabled, o.ServedDays, o.PreferenceDays, o.MaturedScoringDays);
}

/// <summary>Reads realized performance; the Models page, the Overview, the <c>monitor</c> verb and the API share it.</summary>
public interface IMonitoringQueries
{
    /// <summary>
    /// Versions with realized weeks or in play (active, shadow), newest first; only <paramref name="versionTag"/> when given.
    /// Each with at most its last <paramref name="weeks"/> live weeks and as many backtest weeks that have matured predictions.
    /// </summary>
    /// <exception cref="Data.Registry.ModelRegistryException">No engagement version with that tag.</exception>
    Task<MonitoringReport> GetAsync(string? versionTag = null, int weeks = 12, CancellationToken ct = default);
}

/// <summary>What one scoring pass did: new videos scored, predictions logged, by which versions.</summary>
public sealed record ScoringPassResult(int Videos, int Predictions, IReadOnlyList<string> Versions);

/// <summary>
/// Scores every video no scoring pass has seen yet with the active version of each engagement feature set and its
/// shadows, from the video's first snapshot (seed15) or its pre-posting features, and logs each prediction.
/// </summary>
public interface IScoringPass
{
    Task<ScoringPassResult> ScoreNewVideosAsync(CancellationToken ct = default);
}

/// <summary>What one maturing pass did: predictions given their outcome, (version, week) rows of realized_metrics touched.</summary>
public sealed record MaturingPassResult(int Matured, int WeeksUpdated)
{
    /// <summary>Of <see cref="Matured"/>, those judged on the snapshot they were made from (no later one): not counted.</summary>
    public int NoLaterSnapshot { get; init; }
}

/// <summary>Gives logged predictions of videos mature now their outcome tier and adds them to realized_metrics.</summary>
public interface IMaturingPass
{
    Task<MaturingPassResult> MatureAsync(CancellationToken ct = default);
}
