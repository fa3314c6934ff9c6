using System.Globalization;
using CsvHelper;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Data.Import;

/// <summary>Writes videos in the normalized CSV that <see cref="CsvVideoReader"/> reads.</summary>
public static class CsvVideoWriter
{
    public static async Task<long> WriteAsync(TextWriter text, IEnumerable<ScrapedVideoRecord> videos, CancellationToken ct = default)
    {
        await using var csv = new CsvWriter(text, CultureInfo.InvariantCulture, leaveOpen: true);
        foreach (var h in CsvVideoReader.Header)
            csv.WriteField(h);
        await csv.NextRecordAsync();
        long n = 0;
        foreach (var v in videos)
        {
            ct.ThrowIfCancellationRequested();
            csv.WriteField(v.VideoId);
            csv.WriteField(v.Views);
            csv.WriteField(v.Likes);
            csv.WriteField(v.Shares);
            csv.WriteField(v.Comments);
            csv.WriteField(v.Saves);
            csv.WriteField(v.DurationSeconds);
            csv.WriteField(string.Join('|', v.Hashtags));
            csv.WriteField(v.SoundName);
            csv.WriteField(v.Description);
            csv.WriteField(v.CreatedAt?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            csv.WriteField(v.AuthorFollowers);
            csv.WriteField(v.AuthorVerified is bool b ? (b ? "true" : "false") : null);
            await csv.NextRecordAsync();
            n++;
        }
        await csv.FlushAsync();
        return n;
    }
}
