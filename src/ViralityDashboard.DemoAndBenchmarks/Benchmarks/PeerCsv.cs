using System.Globalization;
using CsvHelper;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Training;
using ViralityDashboard.Training.Engagement;

namespace ViralityDashboard.DemoAndBenchmarks.Benchmarks;

/// <summary>The CSV contract of <c>../shared/peer/sklearn_reference.py</c>: id, features…, label, split.</summary>
public static class PeerCsv
{
    /// <summary>Writes the prepared rows with the side of the run's split each lands on; returns that split.</summary>
    public static async Task<SplitIndices> WriteAsync(PreparedTrainingData prepared, string path, CancellationToken ct)
    {
        var split = prepared.Split();
        var side = new string[prepared.Rows.Count];
        foreach (var i in split.Train) side[i] = "train";
        foreach (var i in split.Test) side[i] = "test";
        await using var writer = new StreamWriter(path);
        await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        csv.WriteField("id");
        foreach (var name in prepared.FeatureSet.FeatureNames)
            csv.WriteField(name);
        csv.WriteField("label");
        csv.WriteField("split");
        await csv.NextRecordAsync();
        for (var i = 0; i < prepared.Rows.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var row = prepared.Rows[i];
            csv.WriteField(row.Id);
            foreach (var f in row.Features)
                csv.WriteField(f.ToString("R", CultureInfo.InvariantCulture));
            csv.WriteField(row.Label);
            csv.WriteField(side[i]);
            await csv.NextRecordAsync();
        }
        return split;
    }
}
