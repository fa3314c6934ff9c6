using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ViralityDashboard.IntegrationTests.Fixtures;

/// <summary>
/// OpenTelemetry's in-memory exporters over the given sources and meters, for as long as it lives. It listens
/// process-wide, so a test using it belongs in <see cref="PostgresCollection"/>, which runs alone: what it captures
/// is then the test's own.
/// </summary>
public sealed class TelemetryCapture : IDisposable
{
    private readonly TracerProvider _tracing;
    private readonly MeterProvider _metrics;
    private readonly List<MetricSnapshot> _snapshots = [];

    public TelemetryCapture(string[] sources, string[] meters)
    {
        _tracing = Sdk.CreateTracerProviderBuilder().AddSource(sources).AddInMemoryExporter(Spans).Build();
        _metrics = Sdk.CreateMeterProviderBuilder().AddMeter(meters).AddInMemoryExporter(_snapshots).Build();
    }

    public List<Activity> Spans { get; } = [];

    /// <summary>The spans named <paramref name="name"/> so far.</summary>
    public IReadOnlyList<Activity> Named(string name)
    {
        lock (Spans)
            return Spans.Where(s => s.DisplayName == name).ToList();
    }

    /// <summary>Collects the meters now and returns the points of instrument <paramref name="name"/>.</summary>
    public IReadOnlyList<MetricPoint> Points(string name)
    {
        _snapshots.Clear();
        _metrics.ForceFlush();
        return _snapshots.Where(m => m.Name == name).SelectMany(m => m.MetricPoints).ToList();
    }

    public static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
            if (tag.Key == key)
                return tag.Value?.ToString();
        return null;
    }

    public void Dispose()
    {
        _tracing.Dispose();
        _metrics.Dispose();
    }
}
