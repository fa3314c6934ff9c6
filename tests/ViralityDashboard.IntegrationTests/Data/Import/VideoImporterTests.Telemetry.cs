using ViralityDashboard.Data.Import;
using ViralityDashboard.Data.Telemetry;
using ViralityDashboard.IntegrationTests.Fixtures;

namespace ViralityDashboard.IntegrationTests.Data.Import;

public sealed partial class VideoImporterTests
{
    private static TelemetryCapture CaptureImports() => new([ViralityTelemetry.ImportSourceName, "Npgsql"], [ViralityTelemetry.MeterName]);

    [Fact]
    public async Task AnImportIsASpanWithOneChildPerStepAndItsSqlAsNpgsqlSpansUnderIt()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var importer = db.Get<VideoImporter>();
        using var telemetry = CaptureImports();

        var first = await importer.ImportAsync(Fixture("good.csv"), new ImportOptions());
        var again = await importer.ImportAsync(Fixture("good.csv"), new ImportOptions());

        var imports = telemetry.Named("import");
        Assert.Equal(2, imports.Count);
        Assert.Equal([(true, first.Read, first.Inserted), (false, again.Read, again.Inserted)],
            imports.Select(s => ((bool)s.GetTagItem("import.first_load")!, (long)s.GetTagItem("import.rows.read")!, (long)s.GetTagItem("import.rows.inserted")!)));
        // A first load copies and builds the indexes; a re-import copies into staging and merges.
        Assert.Equal(["import copy", "import index", "import commit"], ChildrenOf(telemetry, imports[0]));
        Assert.Equal(["import copy", "import merge", "import commit"], ChildrenOf(telemetry, imports[1]));
        var merge = telemetry.Named("import merge").Single();
        Assert.Contains(telemetry.Spans, s => s.Source.Name == "Npgsql" && s.ParentSpanId == merge.SpanId);
    }

    [Fact]
    public async Task AnImportCountsItsRowsByOutcomeAndRecordsItsDuration()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        using var telemetry = CaptureImports();

        var report = await db.Get<VideoImporter>().ImportAsync(Fixture("bad_rows.csv"), new ImportOptions());

        var rows = telemetry.Points("virality.import.rows");
        long Rows(string outcome) => rows.Where(p => TelemetryCapture.Tag(p, "import.outcome") == outcome).Sum(p => p.GetSumLong());
        Assert.Equal((report.Inserted, report.Updated, report.Rejected), (Rows("inserted"), Rows("updated"), Rows("rejected")));
        Assert.All(rows, p => Assert.Equal(report.Format, TelemetryCapture.Tag(p, "import.format")));
        Assert.Equal(1, telemetry.Points("virality.import.duration").Sum(p => p.GetHistogramCount()));
    }

    [Fact]
    public async Task AFailedImportMarksItsSpanAsAnError()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        using var telemetry = CaptureImports();

        var error = await Assert.ThrowsAsync<StrictImportException>(() => db.Get<VideoImporter>().ImportAsync(Fixture("bad_rows.csv"), new ImportOptions { Strict = true }));

        var span = telemetry.Named("import").Single();
        Assert.Equal((System.Diagnostics.ActivityStatusCode.Error, error.Message), (span.Status, span.StatusDescription));
        Assert.Single(telemetry.Named("import copy")); // ended (only ended spans are exported), not left open by the failure
    }

    private static string[] ChildrenOf(TelemetryCapture telemetry, System.Diagnostics.Activity parent)
    {
        lock (telemetry.Spans)
            return telemetry.Spans.Where(s => s.Source.Name == ViralityTelemetry.ImportSourceName && s.ParentSpanId == parent.SpanId)
                .OrderBy(s => s.StartTimeUtc).Select(s => s.DisplayName).ToArray();
    }
}
