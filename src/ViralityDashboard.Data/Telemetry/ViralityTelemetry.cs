using System.Diagnostics;
using System.Diagnostics.Metrics;
using ViralityDashboard.Data.Import;

namespace ViralityDashboard.Data.Telemetry;

/// <summary>
/// What the app's own telemetry is subscribed by (the web app's ServiceDefaults): one activity source per area, one
/// meter for the app. The sources are static, as activity sources are meant to be; nothing is recorded unless a
/// listener (OpenTelemetry, a test's exporter) subscribes to their names.
/// </summary>
public static class ViralityTelemetry
{
    public const string MeterName = "ViralityDashboard";
    public const string ImportSourceName = "ViralityDashboard.Import";
    public const string TrainingSourceName = "ViralityDashboard.Training";

    /// <summary>Spans <c>import</c> and its steps (<c>import copy</c>, <c>import merge</c>, <c>import index</c>, <c>import commit</c>).</summary>
    public static readonly ActivitySource Import = new(ImportSourceName);

    /// <summary>Spans <c>training run</c> and one per step (<c>training read</c>, <c>training fit</c>, …).</summary>
    public static readonly ActivitySource Training = new(TrainingSourceName);

    public static readonly IReadOnlyList<string> SourceNames = [ImportSourceName, TrainingSourceName];

    /// <summary>Marks a span failed with the exception. Returns false, so it can sit in a <c>catch … when</c> filter without catching.</summary>
    public static bool Fail(Activity? span, Exception e)
    {
        span?.SetStatus(ActivityStatusCode.Error, e.Message);
        span?.AddException(e);
        return false;
    }
}

/// <summary>
/// The app's instruments, all on the one meter <see cref="ViralityTelemetry.MeterName"/>. The meter comes from the
/// host's <see cref="IMeterFactory"/>, so it lives and dies with the host (a test's host too) rather than the process.
/// </summary>
/// <remarks>
/// Not here yet, waiting for issue 12 (monitoring): the engagement prediction log's queue and the active model's
/// realized accuracy. Each is an observable instrument on <see cref="Meter"/>, registered by the service that owns the
/// figure, as <see cref="ObservePredictionLog"/> does for the preference prediction log.
/// </remarks>
public sealed class ViralityMetrics
{
    private static readonly double[] ImportSeconds = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
    private static readonly double[] TrainingSeconds = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 3600];

    public ViralityMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(ViralityTelemetry.MeterName);
        ImportRows = Meter.CreateCounter<long>("virality.import.rows", "{row}",
            "Rows read by imports, by format and outcome (inserted, updated, rejected); its rate is the import's rows per second.");
        ImportDuration = Meter.CreateHistogram("virality.import.duration", "s", "How long an import took, parse to commit.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ImportSeconds });
        TrainingDuration = Meter.CreateHistogram("virality.training.duration", "s", "How long a training run took, by model kind and final status.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = TrainingSeconds });
        Predictions = Meter.CreateCounter<long>("virality.predictions", "{prediction}", "Predictions served, by model kind.");
    }

    public Meter Meter { get; }
    public Counter<long> ImportRows { get; }
    public Histogram<double> ImportDuration { get; }
    public Histogram<double> TrainingDuration { get; }
    public Counter<long> Predictions { get; }

    public void RecordImport(ImportReport report, TimeSpan elapsed)
    {
        var format = new KeyValuePair<string, object?>("import.format", report.Format);
        ImportRows.Add(report.Inserted, format, new("import.outcome", "inserted"));
        ImportRows.Add(report.Updated, format, new("import.outcome", "updated"));
        ImportRows.Add(report.Rejected, format, new("import.outcome", "rejected"));
        ImportDuration.Record(elapsed.TotalSeconds, format);
    }

    public void RecordFailedImport(Exception e, TimeSpan elapsed) =>
        ImportDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("error.type", e.GetType().Name));

    public void RecordPrediction(string modelKind) => Predictions.Add(1, new KeyValuePair<string, object?>("model.kind", modelKind));

    /// <summary>A prediction log's queue: entries waiting for their batch insert, and entries dropped because it was full.</summary>
    public void ObservePredictionLog(string modelKind, Func<int> pending, Func<long> dropped)
    {
        var kind = new KeyValuePair<string, object?>("model.kind", modelKind);
        Meter.CreateObservableGauge("virality.prediction_log.pending", () => new Measurement<int>(pending(), kind), "{entry}",
            "Predictions queued for the prediction log, not yet written.");
        Meter.CreateObservableCounter("virality.prediction_log.dropped", () => new Measurement<long>(dropped(), kind), "{entry}",
            "Predictions the prediction log dropped because its queue was full.");
    }
}
