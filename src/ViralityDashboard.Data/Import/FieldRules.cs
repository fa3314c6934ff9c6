using System.Globalization;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Data.Import;

/// <summary>The validation every import format shares: what a plausible scraped value is.</summary>
internal static class FieldRules
{
    /// <summary>No video has been viewed more often than this; a larger count is a corrupt cell.</summary>
    public const long MaxCount = 1_000_000_000_000;
    public const long MaxFollowers = 10_000_000_000;
    /// <summary>TikTok's longest uploads are 60 minutes; ten hours is certainly wrong.</summary>
    public const double MaxDurationSeconds = 36_000;
    public const int MaxIdLength = 64;
    public const int MaxTextLength = 20_000;
    public const int MaxHashtags = 200;
    /// <summary>musical.ly, TikTok's predecessor, launched in 2014.</summary>
    public static readonly DateTimeOffset EarliestPost = new(2014, 1, 1, 0, 0, 0, TimeSpan.Zero);
    /// <summary>
    /// The earliest posting time an import takes: YouTube's launch. Scrape histories of YouTube videos (the trending data
    /// set of issue 23) hold videos posted years before TikTok, still trending; the Predictor keeps <see cref="EarliestPost"/>.
    /// </summary>
    public static readonly DateTimeOffset EarliestImportedPost = new(2005, 1, 1, 0, 0, 0, TimeSpan.Zero);
    /// <summary>Clocks of scrapers and servers disagree a little; a day ahead is the limit.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromDays(1);

    public static string VideoId(string? raw)
    {
        var id = Clean(raw)?.Trim();
        if (string.IsNullOrEmpty(id))
            throw new RowException("video id is missing");
        if (id.Length > MaxIdLength)
            throw new RowException($"video id is {id.Length} characters long (at most {MaxIdLength})");
        if (id.Any(char.IsControl))
            throw new RowException("video id contains control characters");
        return id;
    }

    public static long Count(string field, string? raw, long max = MaxCount)
    {
        if (string.IsNullOrWhiteSpace(raw))
            throw new RowException($"{field} is missing");
        return Count(field, ParseLong(field, raw), max);
    }

    public static long Count(string field, long value, long max = MaxCount)
    {
        if (value < 0)
            throw new RowException($"{field} is negative ({value.ToString(CultureInfo.InvariantCulture)})");
        if (value > max)
            throw new RowException($"{field} is impossibly large ({value.ToString(CultureInfo.InvariantCulture)}, at most {max.ToString(CultureInfo.InvariantCulture)})");
        return value;
    }

    public static long? OptionalCount(string field, string? raw, long max = MaxCount) =>
        string.IsNullOrWhiteSpace(raw) ? null : Count(field, raw, max);

    public static long ParseLong(string field, string raw)
    {
        var s = raw.Trim();
        if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
            return v;
        // Some dumps write counts as 1.2E5 or 120000.0; accept whole numbers only.
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && d == Math.Floor(d) && Math.Abs(d) < 9e18)
            return (long)d;
        throw new RowException($"{field} '{Shorten(s)}' is not a whole number");
    }

    public static double? Duration(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return null;
        if (!double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
            throw new RowException($"duration_seconds '{Shorten(raw.Trim())}' is not a number");
        return Duration("duration_seconds", d);
    }

    public static double Duration(string field, double seconds)
    {
        // NaN passes every comparison below, and .NET parses "NaN" and "Infinity" as numbers.
        if (!double.IsFinite(seconds))
            throw new RowException($"{field} '{seconds.ToString(CultureInfo.InvariantCulture)}' is not a finite number");
        if (seconds < 0)
            throw new RowException($"{field} is negative ({seconds.ToString(CultureInfo.InvariantCulture)})");
        if (seconds > MaxDurationSeconds)
            throw new RowException($"{field} is impossibly long ({seconds.ToString(CultureInfo.InvariantCulture)} s, at most {MaxDurationSeconds} s)");
        return seconds;
    }

    public static DateTimeOffset? PostedAt(string? raw, DateTimeOffset now) => PostedAt("created_at", raw, now);

    public static DateTimeOffset? PostedAt(string field, string? raw, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return null;
        if (!TryParseTime(raw, out var at))
            throw new RowException($"{field} '{Shorten(raw.Trim())}' is not a date (expected ISO 8601, e.g. 2025-02-12T14:57:40Z)");
        return PostedAt(at, now);
    }

    /// <summary>
    /// A date and time, UTC unless it gives an offset. The normalized CSV's own form first: reading its digits in place
    /// is many times faster than the general parser.
    /// </summary>
    internal static bool TryParseTime(string raw, out DateTimeOffset at) =>
        TryParseIsoUtc(raw, out at)
        || DateTimeOffset.TryParse(raw.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);

    /// <summary>Exactly <c>yyyy-MM-ddTHH:mm:ssZ</c> (the normalized CSV's form), or false.</summary>
    internal static bool TryParseIsoUtc(string s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
            return false;
        static int Digits(string s, int at, int count)
        {
            var n = 0;
            for (var i = at; i < at + count; i++)
            {
                var d = s[i] - '0';
                if ((uint)d > 9)
                    return -1;
                n = n * 10 + d;
            }
            return n;
        }
        int year = Digits(s, 0, 4), month = Digits(s, 5, 2), day = Digits(s, 8, 2);
        int hour = Digits(s, 11, 2), minute = Digits(s, 14, 2), second = Digits(s, 17, 2);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 59)
            return false;
        value = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
        return true;
    }

    public static DateTimeOffset PostedAt(DateTimeOffset at, DateTimeOffset now)
    {
        if (at > now + FutureTolerance)
            throw new RowException($"created_at {at:yyyy-MM-dd HH:mm:ss}Z is in the future");
        if (at < EarliestImportedPost)
            throw new RowException($"created_at {at:yyyy-MM-dd} is before YouTube existed (2005)");
        return at.ToUniversalTime();
    }

    /// <summary>
    /// When a row's counts were scraped (a history's <c>scraped_at</c>): not in the future, and not before the video was
    /// posted, since a video has no counts before it exists. Null when the cell is empty: the import's own time applies.
    /// </summary>
    public static DateTimeOffset? ScrapedAt(string field, string? raw, DateTimeOffset? postedAt, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return null;
        if (!TryParseTime(raw, out var at))
            throw new RowException($"{field} '{Shorten(raw.Trim())}' is not a date (expected ISO 8601, e.g. 2025-02-12T14:57:40Z)");
        return ScrapedAt(field, at, postedAt, now);
    }

    public static DateTimeOffset ScrapedAt(string field, DateTimeOffset at, DateTimeOffset? postedAt, DateTimeOffset now)
    {
        if (at > now + FutureTolerance)
            throw new RowException($"{field} {at.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z is in the future");
        if (postedAt is { } posted && at < posted)
            throw new RowException($"{field} {at.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z is before the video was posted (created_at {posted.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z)");
        return at.ToUniversalTime();
    }

    public static DateTimeOffset UnixScrapedAt(string field, long seconds, DateTimeOffset? postedAt, DateTimeOffset now)
    {
        if (seconds is < 0 or > 253_402_300_799)
            throw new RowException($"{field} {seconds} is not a valid unix time");
        return ScrapedAt(field, DateTimeOffset.FromUnixTimeSeconds(seconds), postedAt, now);
    }

    public static DateTimeOffset UnixSeconds(long seconds, DateTimeOffset now)
    {
        if (seconds is < 0 or > 253_402_300_799)
            throw new RowException($"createTime {seconds} is not a valid unix time");
        return PostedAt(DateTimeOffset.FromUnixTimeSeconds(seconds), now);
    }

    public const int MaxUrlLength = 2048;

    /// <summary>
    /// The video's page (shown as a link) or its cover (shown as an image): only an absolute http(s) URL, so that no
    /// stored value can become a <c>javascript:</c> or <c>data:</c> link or image source on the Rate page. Like every
    /// other malformed field, a hostile one rejects its row with the field and the value named.
    /// </summary>
    public static string? HttpUrl(string field, string? raw)
    {
        var url = WithoutNul(raw ?? "").Trim();
        if (url.Length == 0)
            return null;
        if (url.Length > MaxUrlLength)
            throw new RowException($"{field} is {url.Length} characters long (at most {MaxUrlLength})");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new RowException($"{field} '{Shorten(url)}' is not an http(s) URL");
        return url;
    }

    public static bool? Boolean(string field, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return null;
        return raw.Trim().ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            var other => throw new RowException($"{field} '{Shorten(other)}' is not true or false"),
        };
    }

    /// <summary>PostgreSQL text cannot hold NUL; other characters, however hostile, are kept as data.</summary>
    public static string? Clean(string? raw)
    {
        if (raw is null)
            return null;
        if (System.Text.Ascii.IsValid(raw) && !raw.Contains('\0'))
            return raw; // the common case, and already normalized
        var s = WithoutNul(raw);
        return s.IsNormalized() ? s : s.Normalize();
    }

    private static string WithoutNul(string raw) => raw.Contains('\0') ? raw.Replace("\0", "", StringComparison.Ordinal) : raw;

    /// <summary>
    /// Free text (captions, sound names, handles) is stored as scraped, NUL aside. Unlike ids and hashtags,
    /// which are NFC-normalized so that one tag is one tag, it is not normalized: that is where most of a
    /// large import's time went, for text nobody matches on.
    /// </summary>
    public static string? Text(string field, string? raw)
    {
        var s = raw is null ? null : WithoutNul(raw);
        if (string.IsNullOrEmpty(s))
            return null;
        if (s.Length > MaxTextLength)
            throw new RowException($"{field} is {s.Length} characters long (at most {MaxTextLength})");
        return s;
    }

    /// <summary>Cleaned, '#' removed, empty and repeated tags dropped, first-seen order kept.</summary>
    public static string[] Hashtags(IEnumerable<string?> raw)
    {
        if (raw is string?[] { Length: 1 } single && string.IsNullOrEmpty(single[0]))
            return [];
        if (raw is string[] array && AlreadyClean(array))
            return array; // the normalized CSV's usual case: nothing to clean, so nothing to allocate
        // A plain loop: a video has a handful of tags, and this runs once per row of a million-row import.
        var tags = new List<string>();
        foreach (var t in raw)
        {
            var tag = CleanTag(t);
            if (string.IsNullOrEmpty(tag) || tags.Contains(tag, StringComparer.Ordinal))
                continue;
            if (tag.Length > 500)
                throw new RowException("a hashtag is longer than 500 characters");
            tags.Add(tag);
        }
        if (tags.Count > MaxHashtags)
            throw new RowException($"{tags.Count} hashtags (at most {MaxHashtags})");
        return [.. tags];
    }

    // Tags repeat across a file far more than they vary, and checking non-ASCII text for normalization goes
    // through ICU (a sixth of a Vietnamese million-row import): each distinct tag is cleaned once per thread.
    [ThreadStatic] private static Dictionary<string, string>? t_cleanTags;

    private static string? CleanTag(string? raw)
    {
        if (raw is null)
            return null;
        var cache = t_cleanTags ??= new Dictionary<string, string>(StringComparer.Ordinal);
        if (cache.TryGetValue(raw, out var tag))
            return tag;
        tag = Clean(raw)!.Trim().TrimStart('#');
        if (cache.Count >= 65_536)
            cache.Clear();
        cache[raw] = tag;
        return tag;
    }

    private static bool AlreadyClean(string[] tags)
    {
        if (tags.Length > MaxHashtags)
            return false;
        for (var i = 0; i < tags.Length; i++)
        {
            var t = tags[i];
            if (t.Length is 0 or > 500 || t[0] == '#' || char.IsWhiteSpace(t[0]) || char.IsWhiteSpace(t[^1]) || !System.Text.Ascii.IsValid(t) || t.Contains('\0'))
                return false;
            for (var j = 0; j < i; j++)
                if (string.Equals(tags[j], t, StringComparison.Ordinal))
                    return false;
        }
        return true;
    }

    public static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
