using System.Globalization;
using System.Text.Json;
using System.Runtime.InteropServices;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Data.Import;

/// <summary>
/// Maps tiktok-scraper items, Apify's TikTok scraper items (the same flat shape, plus <c>collectCount</c> and
/// <c>createTimeISO</c>) and TikTok web items (field names in the data README) to videos, with the cover image where the
/// item has one.
/// </summary>
internal static class TikTokJsonMapper
{
    /// <summary>Apify's items are tiktok-scraper's shape with saves and an ISO date; either field tells them apart.</summary>
    public static bool IsApifyItem(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && (item.TryGetProperty("collectCount", out _) || item.TryGetProperty("createTimeISO", out _));

    /// <summary>Web items nest their counters under stats; scraper items carry them at the top.</summary>
    public static bool IsWebItem(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && (item.TryGetProperty("stats", out _) || item.TryGetProperty("statsV2", out _) || item.TryGetProperty("desc", out _));

    public static ParsedRow Map(JsonElement item, long index, bool webItem, DateTimeOffset now) =>
        Map(item, new RowPlace("item", index), webItem, now);

    public static ParsedRow Map(JsonElement item, RowPlace where, bool webItem, DateTimeOffset now)
    {
        if (item.ValueKind != JsonValueKind.Object)
            return ParsedRow.Invalid(where, $"expected an object, found {item.ValueKind.ToString().ToLowerInvariant()}");
        try
        {
            return ParsedRow.Valid(where, webItem ? MapWebItem(item, now) : MapScraperItem(item, now));
        }
        catch (RowException e)
        {
            return ParsedRow.Invalid(where, e.Message);
        }
    }

    private static ScrapedVideoRecord MapScraperItem(JsonElement item, DateTimeOffset now)
    {
        var author = Child(item, "authorMeta");
        var music = Child(item, "musicMeta");
        return new ScrapedVideoRecord
        {
            VideoId = FieldRules.VideoId(Str(item, "id")),
            Views = RequiredCount(item, "playCount"),
            Likes = RequiredCount(item, "diggCount"),
            Shares = RequiredCount(item, "shareCount"),
            // Absent or null when comments are turned off on the video: stored as unknown, and flagged.
            Comments = Long(item, "commentCount") is long c ? FieldRules.Count("commentCount", c) : null,
            // tiktok-scraper does not report saves; Apify's items do.
            Saves = Long(item, "collectCount") is long s ? FieldRules.Count("collectCount", s) : null,
            DurationSeconds = Number(Child(item, "videoMeta"), "duration", "videoMeta.duration") is double d ? FieldRules.Duration("videoMeta.duration", d) : null,
            Hashtags = FieldRules.Hashtags(Array(item, "hashtags").Select(h => Str(h, "name"))),
            SoundName = FieldRules.Text("musicMeta.musicName", Str(music, "musicName")),
            SoundOriginal = Bool(music, "musicOriginal"),
            Description = FieldRules.Text("text", Str(item, "text")),
            // Apify items may carry only the ISO form.
            CreatedAt = Long(item, "createTime") is long t ? FieldRules.UnixSeconds(t, now) : FieldRules.PostedAt("createTimeISO", Str(item, "createTimeISO"), now),
            AuthorHandle = FieldRules.Text("authorMeta.name", Str(author, "name")),
            AuthorVerified = Bool(author, "verified"),
            AuthorFollowers = Long(author, "fans") is long f ? FieldRules.Count("authorMeta.fans", f, FieldRules.MaxFollowers) : null,
            VideoUrl = FieldRules.HttpUrl("webVideoUrl", Str(item, "webVideoUrl")),
            // Apify's items name the cover in videoMeta; tiktok-scraper's in covers.
            CoverUrl = Str(Child(item, "videoMeta"), "coverUrl") is { } cover
                ? FieldRules.HttpUrl("videoMeta.coverUrl", cover)
                : FieldRules.HttpUrl("covers.default", Str(Child(item, "covers"), "default")),
        };
    }

    private static ScrapedVideoRecord MapWebItem(JsonElement item, DateTimeOffset now)
    {
        // Some dumps keep numbers in stats, others strings in statsV2.
        var stats = Child(item, "stats") ?? Child(item, "statsV2");
        var statsV2 = Child(item, "statsV2");
        long Stat(string name) => Long(stats, name) ?? Long(statsV2, name)
            ?? throw new RowException($"stats.{name} is missing");
        var video = Child(item, "video");
        var isPhotoPost = item.TryGetProperty("imagePost", out _);
        var hashtags = Array(item, "textExtra").Select(t => Str(t, "hashtagName")).Where(t => !string.IsNullOrEmpty(t)).ToList();
        if (hashtags.Count == 0)
            hashtags = Array(item, "challenges").Select(c => Str(c, "title")).ToList();
        var music = Child(item, "music");
        var author = Child(item, "author");
        var saves = Long(stats, "collectCount") ?? Long(statsV2, "collectCount");
        var comments = Long(stats, "commentCount") ?? Long(statsV2, "commentCount"); // none: comments turned off
        var videoId = FieldRules.VideoId(Str(item, "id"));
        var handle = FieldRules.Text("author.uniqueId", Str(author, "uniqueId"));
        DateTimeOffset? createdAt = Long(item, "createTime") is long t ? FieldRules.UnixSeconds(t, now) : null;
        return new ScrapedVideoRecord
        {
            VideoId = videoId,
            Views = FieldRules.Count("stats.playCount", Stat("playCount")),
            Likes = FieldRules.Count("stats.diggCount", Stat("diggCount")),
            Shares = FieldRules.Count("stats.shareCount", Stat("shareCount")),
            Comments = comments is long c ? FieldRules.Count("stats.commentCount", c) : null,
            Saves = saves is long s ? FieldRules.Count("stats.collectCount", s) : null,
            // Photo posts report a duration of 0: they have none.
            DurationSeconds = isPhotoPost ? null : Number(video, "duration", "video.duration") is double d ? FieldRules.Duration("video.duration", d) : null,
            Hashtags = FieldRules.Hashtags(hashtags),
            SoundName = FieldRules.Text("music.title", Str(music, "title")),
            SoundOriginal = Bool(music, "original"),
            Description = FieldRules.Text("desc", Str(item, "desc")),
            CreatedAt = createdAt,
            // The scrapers' dumps stamp every web item with collectTime: seconds apart within one creator's dump, on the
            // scrape day, after createTime (the data README's web items: 2025-02-12 16:00–17:00, posted weeks before).
            // Neither tiktok-scraper's nor Apify's items carry a scrape time: the import's --scraped-at stands in.
            ScrapedAt = Long(item, "collectTime") is long scraped && scraped > 0 ? FieldRules.UnixScrapedAt("collectTime", scraped, createdAt, now) : null,
            AuthorHandle = handle,
            AuthorVerified = Bool(author, "verified"),
            AuthorFollowers = Long(Child(item, "authorStats"), "followerCount") is long f
                ? FieldRules.Count("authorStats.followerCount", f, FieldRules.MaxFollowers) : null,
            // Web items carry no page URL; TikTok's canonical one is built from the handle and the id.
            VideoUrl = handle is not { Length: <= 100 } ? null : FieldRules.HttpUrl("author.uniqueId", $"https://www.tiktok.com/@{Uri.EscapeDataString(handle)}/video/{Uri.EscapeDataString(videoId)}"),
            CoverUrl = FieldRules.HttpUrl("video.cover", Str(video, "cover")),
        };
    }

    private static long RequiredCount(JsonElement item, string name) =>
        FieldRules.Count(name, Long(item, name) ?? throw new RowException($"{name} is missing"));

    private static JsonElement? Child(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var c) && c.ValueKind == JsonValueKind.Object ? c : null;

    private static IEnumerable<JsonElement> Array(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray() : [];

    /// <summary>
    /// The JSON reader passes string bytes through unchecked; decoding refuses bytes that are not UTF-8, and a
    /// "\ud800" escape, which decodes to a lone surrogate. Neither is text any column can store.
    /// </summary>
    private static string? StringOf(JsonElement value, string name)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException) when (!System.Text.Unicode.Utf8.IsValid(JsonMarshal.GetRawUtf8Value(value)))
        {
            throw new RowException($"{name} holds bytes that are not valid UTF-8 text");
        }
        catch (InvalidOperationException)
        {
            throw new RowException($"{name} holds an escaped lone surrogate (such as \\ud800), which is not text");
        }
    }

    private static string? Str(JsonElement? parent, string name)
    {
        if (parent is not { ValueKind: JsonValueKind.Object } p || !p.TryGetProperty(name, out var v))
            return null;
        return v.ValueKind switch
        {
            JsonValueKind.String => StringOf(v, name),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.Null => null,
            _ => throw new RowException($"{name} is a {v.ValueKind.ToString().ToLowerInvariant()}, not text"),
        };
    }

    private static long? Long(JsonElement? parent, string name)
    {
        if (parent is not { ValueKind: JsonValueKind.Object } p || !p.TryGetProperty(name, out var v))
            return null;
        return v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetInt64(out var l) => l,
            JsonValueKind.Number => FieldRules.ParseLong(name, v.GetRawText()),
            JsonValueKind.String => StringOf(v, name) is { } s && !string.IsNullOrWhiteSpace(s) ? FieldRules.ParseLong(name, s) : null,
            JsonValueKind.Null => null,
            _ => throw new RowException($"{name} is a {v.ValueKind.ToString().ToLowerInvariant()}, not a number"),
        };
    }

    /// <summary>A number, or a number in a string; the caller checks that it is finite (a string may say "NaN").</summary>
    private static double? Number(JsonElement? parent, string name, string field)
    {
        if (parent is not { ValueKind: JsonValueKind.Object } p || !p.TryGetProperty(name, out var v))
            return null;
        if (v.ValueKind == JsonValueKind.Number) // beyond double's range (1e400), GetDouble would throw
            return v.TryGetDouble(out var n) ? n : throw new RowException($"{field} '{FieldRules.Shorten(v.GetRawText())}' is not a finite number");
        if (v.ValueKind == JsonValueKind.String && double.TryParse(StringOf(v, field), NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return d;
        if (v.ValueKind == JsonValueKind.Null)
            return null;
        throw new RowException($"{field} '{FieldRules.Shorten(v.GetRawText())}' is not a number");
    }

    private static bool? Bool(JsonElement? parent, string name)
    {
        if (parent is not { ValueKind: JsonValueKind.Object } p || !p.TryGetProperty(name, out var v))
            return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            JsonValueKind.String => FieldRules.Boolean(name, StringOf(v, name)),
            JsonValueKind.Number => v.GetRawText() != "0",
            _ => throw new RowException($"{name} is not true or false"),
        };
    }
}
