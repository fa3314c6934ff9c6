using System.Globalization;
using System.Text;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.DemoAndBenchmarks.Demo;

/// <summary>
/// Deterministic, realistic demo data: scraped videos whose views are heavy-tailed and follow the
/// creator's follower tier, analyses in the v3 shape of seed 003, and owner ratings that depend on
/// a known subset of the analysis features (<see cref="DemoRatingModel"/>) plus noise.
/// </summary>
public static class DemoDataGenerator
{
    // Streams derived from one seed, so adding analyses never changes the videos.
    private const ulong CreatorStream = 1;
    private const ulong VideoStream = 2;
    private const ulong SelectionStream = 3;
    private const ulong AnalysisStream = 4;
    private const ulong ScrapeStream = 5;

    // Scrape schedule: the first a few hours to a day after posting (log-uniform, so point-in-time rows are observed at
    // every age the growth baseline buckets within a day), then about 2, 4, 7, 14 and 21 days after posting, while
    // before Now.
    private const double FirstScrapeMinHours = 1.5, FirstScrapeMaxHours = 23.5;
    private static readonly double[] LaterScrapeDays = [2, 4, 7, 14, 21];

    // A history's views grow as a Weibull curve 1 − exp(−(hours / τ)^k) towards the video's counts at its last scrape,
    // with τ drawn per video: some videos are front-loaded (τ of a few hours), others slow burners (τ of days), so
    // views at first sight predict the matured tier well but not perfectly (the growth baseline's error). In the
    // shifted weeks every τ is several times longer, so a model trained on usual weeks predicts too low a tier there.
    private const double GrowthMedianHours = 18, GrowthSpread = 1.0, GrowthShape = 0.8, ShiftedSlowdown = 8;

    // Followers see a video first and engage more than the strangers who come later, so engagement grows faster than
    // views: a count's share of its final value is the views' share to this power (below 1), and the early rates are
    // higher by the views' share to the power − 1, the more so the slower the video grows. No early rate goes above
    // MaxEarlyRate (unless the final one does), so a slow burner first seen at a hundredth of its views has fewer likes
    // than views.
    private const double LikesLag = 0.5, CommentsLag = 0.45, SharesLag = 0.65, SavesLag = 0.5, MaxEarlyRate = 0.45;
    private static readonly double MaxLogViews = Math.Log(300_000_000); // about the most-viewed TikToks
    private const double PhotoPostShare = 0.012;
    private const double ZeroViewsGlitchShare = 0.003;
    private const double ZeroDurationGlitchShare = 0.0015;
    private const double LikesExceedViewsGlitchShare = 0.001;

    /// <summary>
    /// Streams <see cref="DemoDataOptions.Videos"/> videos lazily; enumerating twice gives the same rows.
    /// Only the creator pool (at most 20,000 creators) is held in memory, so a million rows stream cheaply.
    /// </summary>
    public static IEnumerable<ScrapedVideoRecord> GenerateVideos(DemoDataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return GenerateDemoVideos(options).Select(v => v.Record);
    }

    public static DemoDataSet Generate(DemoDataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var videos = GenerateDemoVideos(options).ToList();
        var analyzed = new List<AnalyzedVideoRecord>(options.Analyzed + options.AwaitingRating);
        var ratings = new List<RatingRecord>(options.Analyzed);
        var random = new DemoRandom(options.Seed, AnalysisStream);

        var picked = 0;
        foreach (var index in PickAnalyzed(videos, options))
        {
            var rated = picked++ < options.Analyzed;
            var video = videos[index];
            var analysis = DemoAnalysisWriter.Write(video.Record, video.Niche, random);
            var (analyzedAt, ratedAt) = AnalysisAndRatingTimes(video.Record.CreatedAt!.Value, options.Now, random);
            analyzed.Add(new AnalyzedVideoRecord(
                video.Record.VideoId,
                options.AnalysisVersion,
                analysis.Json,
                analysis.FeatureCount,
                analyzedAt));
            if (rated)
                ratings.Add(DemoRatingModel.Rate(video.Record, analysis.Features, options.OwnerRater, ratedAt, random));
        }

        // The owner rates in their own order, not in the order videos were generated.
        ratings.Sort((a, b) => a.RatedAt.CompareTo(b.RatedAt));
        return new DemoDataSet(videos.ConvertAll(v => v.Record), analyzed, ratings);
    }

    /// <summary>
    /// The scrape history of every video of <see cref="GenerateVideos"/>, oldest first per video: at least two, the
    /// first within a day of posting, the last with the video's current counts. Streams like the videos.
    /// </summary>
    public static IEnumerable<DemoSnapshot> GenerateSnapshots(DemoDataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Snapshots(options);

        static IEnumerable<DemoSnapshot> Snapshots(DemoDataOptions options)
        {
            foreach (var video in GenerateDemoVideos(options, withScrapes: true))
            {
                var v = video.Record;
                foreach (var (at, viewsShare) in video.Scrapes!)
                    yield return viewsShare >= 1
                        ? new DemoSnapshot(v.VideoId, at, v.Views, v.Likes, v.Shares, v.Comments, v.Saves)
                        : new DemoSnapshot(v.VideoId, at, (long)Math.Floor(v.Views * viewsShare),
                            Part(v.Likes, v.Views, viewsShare, LikesLag), Part(v.Shares, v.Views, viewsShare, SharesLag),
                            v.Comments is { } c ? Part(c, v.Views, viewsShare, CommentsLag) : null,
                            v.Saves is { } s ? Part(s, v.Views, viewsShare, SavesLag) : null);
            }
        }

        // Rounded down, so counts never decrease from one scrape to the next (both terms of the minimum grow with the
        // views' share, and both are 1 at the last scrape).
        static long Part(long count, long views, double viewsShare, double lag)
        {
            var share = Math.Pow(viewsShare, lag);
            if (count > 0 && views > 0)
                share = Math.Min(share, viewsShare * Math.Max(1, MaxEarlyRate * views / count));
            return (long)Math.Floor(count * share);
        }
    }

    /// <summary>Monday (UTC) of the week of <paramref name="at"/>, as realized performance buckets predictions.</summary>
    public static DateOnly WeekOf(DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }

    /// <summary>
    /// Whether a video first scraped at <paramref name="firstScrape"/> is in one of the shifted weeks: the
    /// <see cref="DemoDataOptions.ShiftedWeeks"/> whole weeks ending <see cref="DemoDataOptions.ShiftEndsWeeksAgo"/> weeks
    /// before the week of <see cref="DemoDataOptions.Now"/>.
    /// </summary>
    public static bool IsShiftedWeek(DateTimeOffset firstScrape, DemoDataOptions options)
    {
        var last = WeekOf(options.Now).AddDays(-7 * options.ShiftEndsWeeksAgo);
        var week = WeekOf(firstScrape);
        return week <= last && week > last.AddDays(-7 * options.ShiftedWeeks);
    }

    internal readonly record struct DemoVideo(ScrapedVideoRecord Record, DemoVocabulary.Niche Niche, (DateTimeOffset At, double ViewsShare)[]? Scrapes);

    private sealed record Creator(
        string Handle,
        long Followers,
        bool FollowersKnown,
        bool Verified,
        DemoVocabulary.Niche Niche,
        double ViewsEffect,
        double EngagementEffect,
        double OriginalSoundShare,
        string OriginalSoundName);

    internal static IEnumerable<DemoVideo> GenerateDemoVideos(DemoDataOptions options, bool withScrapes = false)
    {
        if (options.Videos == 0)
            yield break;

        var creators = CreateCreators(options);
        var random = new DemoRandom(options.Seed, VideoStream);
        // Its own stream, so the scrape schedule never changes what the video stream draws.
        var scrapeRandom = new DemoRandom(options.Seed, ScrapeStream);
        var scrapeTimes = new List<DateTimeOffset>(1 + LaterScrapeDays.Length);
        var caption = new StringBuilder(160);
        var hashtagScratch = new List<string>(10);
        var idSalt = (uint)new DemoRandom(options.Seed, VideoStream + 100).NextUInt64();
        var nowSeconds = options.Now.ToUnixTimeSeconds();

        for (var i = 0; i < options.Videos; i++)
        {
            // A few creators post most of the videos.
            var creator = creators[(int)(creators.Length * Math.Pow(random.NextDouble(), 1.6))];
            var niche = creator.Niche;
            var createdAt = PostingTime(options.Now, options.PostingWindowDays, random);
            var ageHours = (options.Now - createdAt).TotalHours;
            ScrapeTimes(createdAt, options.Now, scrapeRandom, scrapeTimes);
            var growthHours = Math.Exp(scrapeRandom.NextGaussian(Math.Log(GrowthMedianHours), GrowthSpread));

            double? duration = random.Chance(PhotoPostShare)
                ? null
                : Math.Round(Math.Clamp(Math.Exp(random.NextGaussian(Math.Log(32), 0.7)), 5, 180));
            var soundOriginal = random.Chance(creator.OriginalSoundShare);
            var soundName = soundOriginal ? creator.OriginalSoundName : random.Pick(DemoVocabulary.TrendingSounds);
            var hashtags = PickHashtags(niche, random, hashtagScratch);

            var logViews = 0.85 * Math.Log(creator.Followers) + 1.75 + creator.ViewsEffect + niche.ViewsLogShift
                + ContentEffect(duration, soundOriginal, hashtags.Length, createdAt.UtcDateTime.Hour)
                + random.NextGaussian(0, 1.05);
            if (random.Chance(0.03))
                logViews += 1.6 * random.NextExponential(); // the occasional breakout video
            logViews = Math.Min(logViews, MaxLogViews);
            // Views keep accumulating for a few days after posting.
            var accumulated = 1 - Math.Exp(-ageHours / 30);
            var views = RoundLikeTheApp((long)Math.Round(Math.Exp(logViews) * accumulated), random);

            // Small accounts have closer audiences and engage more per view.
            var engagement = creator.EngagementEffect + random.NextGaussian(0, 0.2) - 0.05 * Math.Log10(creator.Followers / 10_000.0);
            var likes = Count(views, Math.Min(0.35, Math.Exp(Math.Log(0.038) + engagement + random.NextGaussian(0, 0.4))));
            var comments = Count(views, Math.Exp(Math.Log(0.00038) + 0.8 * engagement + random.NextGaussian(0, 0.7)));
            var shares = Count(views, niche.SharesFactor * Math.Exp(Math.Log(0.0006) + engagement + random.NextGaussian(0, 1.0)));
            long? saves = random.Chance(0.04)
                ? null
                : Count(views, niche.SavesFactor * Math.Exp(Math.Log(0.0012) + 0.8 * engagement + random.NextGaussian(0, 0.7)));
            likes = RoundLikeTheApp(likes, random);

            // Plausible scrape glitches, so the data-quality flags have something to show.
            var glitch = random.NextDouble();
            if (glitch < ZeroViewsGlitchShare && likes > 0)
                views = 0;
            else if (glitch < ZeroViewsGlitchShare + ZeroDurationGlitchShare && duration is not null)
                duration = 0;
            else if (glitch < ZeroViewsGlitchShare + ZeroDurationGlitchShare + LikesExceedViewsGlitchShare && likes > 10)
                views = likes * 4 / 5;

            var record = new ScrapedVideoRecord
            {
                VideoId = VideoId(createdAt.ToUnixTimeSeconds(), i, idSalt, nowSeconds),
                Views = views,
                Likes = likes,
                Shares = shares,
                Comments = comments,
                Saves = saves,
                DurationSeconds = duration,
                Hashtags = hashtags,
                SoundName = soundName,
                SoundOriginal = random.Chance(0.05) ? null : soundOriginal,
                Description = Caption(niche, hashtags, random, caption),
                CreatedAt = createdAt,
                AuthorHandle = creator.Handle,
                AuthorFollowers = creator.FollowersKnown ? creator.Followers : null,
                AuthorVerified = creator.Verified,
            };
            (DateTimeOffset, double)[]? scrapes = null;
            if (withScrapes)
            {
                // The history is scaled to end at the current counts; the counts above draw nothing from it, so a
                // video is the same whether or not its history is asked for (and as before histories existed).
                if (IsShiftedWeek(scrapeTimes[0], options))
                    growthHours *= ShiftedSlowdown;
                var grownAtLast = Grown(scrapeTimes[^1] - createdAt, growthHours);
                scrapes = new (DateTimeOffset, double)[scrapeTimes.Count];
                for (var k = 0; k < scrapes.Length; k++)
                    scrapes[k] = (scrapeTimes[k], k == scrapes.Length - 1 ? 1 : Grown(scrapeTimes[k] - createdAt, growthHours) / grownAtLast);
            }
            yield return new DemoVideo(record, niche, scrapes);
        }
    }

    private static double Grown(TimeSpan sincePosting, double growthHours) =>
        1 - Math.Exp(-Math.Pow(sincePosting.TotalHours / growthHours, GrowthShape));

    /// <summary>Fills <paramref name="times"/> with a video's scrape times, strictly increasing, whole seconds, at most Now; at least two.</summary>
    private static void ScrapeTimes(DateTimeOffset posted, DateTimeOffset now, DemoRandom random, List<DateTimeOffset> times)
    {
        times.Clear();
        var sincePosting = now - posted; // at least 5 minutes (PostingTime)
        var first = TimeSpan.FromHours(Math.Exp(random.NextDouble(Math.Log(FirstScrapeMinHours), Math.Log(FirstScrapeMaxHours))));
        times.Add(WholeSeconds(posted + (first < sincePosting / 2 ? first : sincePosting / 2)));
        foreach (var days in LaterScrapeDays)
        {
            var at = WholeSeconds(posted.AddHours(days * 24 + random.NextDouble(0, 12)));
            if (at <= now)
                times.Add(at);
        }
        // A video younger than two days has been scraped once more since, so it has a history too.
        if (times.Count == 1)
            times.Add(WholeSeconds(times[0] + (now - times[0]) * random.NextDouble(0.5, 1)));
    }

    private static DateTimeOffset WholeSeconds(DateTimeOffset t) => t.AddTicks(-(t.Ticks % TimeSpan.TicksPerSecond));

    private static Creator[] CreateCreators(DemoDataOptions options)
    {
        var random = new DemoRandom(options.Seed, CreatorStream);
        var count = Math.Clamp(options.Videos / 40, 10, 20_000);
        var creators = new Creator[count];
        var handles = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var followers = Followers(random);
            var niche = random.Pick(DemoVocabulary.Niches);
            var handle = Handle(niche, random);
            while (!handles.Add(handle))
                handle += random.Next(10).ToString(CultureInfo.InvariantCulture);

            var verifiedChance = followers >= 1_000_000 ? 0.55 : followers >= 100_000 ? 0.15 : 0.01;
            creators[i] = new Creator(
                handle,
                followers,
                FollowersKnown: !random.Chance(0.03),
                Verified: random.Chance(verifiedChance),
                niche,
                ViewsEffect: random.NextGaussian(0, 0.5),
                EngagementEffect: random.NextGaussian(0, 0.3),
                OriginalSoundShare: random.NextDouble(0.45, 0.9),
                OriginalSoundName: "original sound - " + handle);
        }

        return creators;
    }

    /// <summary>Tiers nano (1k–10k), micro (10k–100k), mid (100k–500k), macro (500k–1M), mega (1M–50M), log-uniform within a tier.</summary>
    private static long Followers(DemoRandom random)
    {
        var tier = random.NextDouble();
        var (low, high) = tier switch
        {
            < 0.35 => (1_000d, 10_000d),
            < 0.65 => (10_000d, 100_000d),
            < 0.83 => (100_000d, 500_000d),
            < 0.92 => (500_000d, 1_000_000d),
            _ => (1_000_000d, 50_000_000d),
        };
        var followers = Math.Exp(random.NextDouble(Math.Log(low), Math.Log(high)));
        // Like the app, large counts are shown (and scraped) rounded: 3.8M, 717.1K.
        return followers >= 10_000 ? (long)(Math.Round(followers / 100) * 100) : (long)followers;
    }

    private static string Handle(DemoVocabulary.Niche niche, DemoRandom random)
    {
        var first = random.Pick(DemoVocabulary.HandleFirstParts);
        var word = random.Pick(niche.HandleWords);
        return random.Next(4) switch
        {
            0 => first + "." + word,
            1 => first + "_" + word,
            2 => first + word + random.Next(100).ToString(CultureInfo.InvariantCulture),
            _ => word + "with" + first,
        };
    }

    private static DateTimeOffset PostingTime(DateTimeOffset now, double windowDays, DemoRandom random)
    {
        // Slightly more recent posts than old ones; posting hours peak around lunch and evening.
        var ageDays = windowDays * Math.Pow(random.NextDouble(), 1.15);
        var day = now.UtcDateTime.Date.AddDays(-Math.Floor(ageDays));
        var hour = random.Chance(0.6) ? Math.Clamp(random.NextGaussian(13.5, 4.5), 0, 23.99) : random.NextDouble(0, 24);
        var posted = new DateTimeOffset(day, TimeSpan.Zero).AddSeconds(Math.Floor(hour * 3600));
        // Never in the future, and at least a few minutes old so it can have been scraped.
        if (posted > now.AddMinutes(-5))
            posted = posted.AddDays(-1);
        return posted;
    }

    private static double ContentEffect(double? duration, bool soundOriginal, int hashtagCount, int hour)
    {
        var effect = 0.0;
        if (duration is { } d)
            effect += d <= 20 ? 0.15 : d > 90 ? -0.25 : 0;
        effect += soundOriginal ? -0.1 : 0.1;
        effect += hashtagCount is >= 3 and <= 6 ? 0.08 : 0;
        effect += hour is >= 11 and <= 14 || hour >= 18 ? 0.1 : 0;
        return effect;
    }

    private static string[] PickHashtags(DemoVocabulary.Niche niche, DemoRandom random, List<string> scratch)
    {
        if (random.Chance(0.15))
            return [];
        var count = Math.Min(10, 1 + (int)(random.NextExponential() * 3.6));
        scratch.Clear();
        for (var attempt = 0; scratch.Count < count && attempt < 3 * count; attempt++)
        {
            var tag = random.Chance(0.65) ? random.Pick(niche.Hashtags) : random.Pick(DemoVocabulary.GeneralHashtags);
            if (!scratch.Contains(tag))
                scratch.Add(tag);
        }

        return [.. scratch];
    }

    private static string? Caption(DemoVocabulary.Niche niche, string[] hashtags, DemoRandom random, StringBuilder caption)
    {
        if (random.Chance(0.03))
            return null;
        caption.Clear();
        var opener = random.Pick(DemoVocabulary.CaptionOpeners);
        if (opener.Length > 0)
            caption.Append(opener).Append(' ');
        caption.Append(random.Pick(niche.Topics)).Append(random.Pick(DemoVocabulary.CaptionEmojis));
        foreach (var tag in hashtags)
            caption.Append(" #").Append(tag);
        return caption.ToString();
    }

    private static long Count(long views, double rate)
    {
        var expected = views * rate;
        return expected < 0.5 ? 0 : (long)Math.Round(expected);
    }

    /// <summary>The app shows 98.4K, not 98,417, and many scrapes store what is shown.</summary>
    private static long RoundLikeTheApp(long count, DemoRandom random)
    {
        if (count < 10_000 || random.Chance(0.35))
            return count;
        var magnitude = (long)Math.Pow(10, Math.Floor(Math.Log10(count)) - 2);
        return count / magnitude * magnitude;
    }

    /// <summary>
    /// TikTok ids are the posting time in seconds shifted left 32 bits plus 32 other bits (19 digits
    /// for times between 1977 and 2043). The low bits here are a bijection of the row index, so ids
    /// are unique within a seed whatever the times.
    /// </summary>
    private static string VideoId(long postedUnixSeconds, int index, uint salt, long nowSeconds)
    {
        var seconds = (ulong)Math.Clamp(postedUnixSeconds, 0, Math.Min(nowSeconds, uint.MaxValue));
        var low = unchecked((uint)index * 0x9E3779B1u) ^ salt;
        return ((seconds << 32) | low).ToString(CultureInfo.InvariantCulture);
    }

    private static (DateTimeOffset AnalyzedAt, DateTimeOffset RatedAt) AnalysisAndRatingTimes(
        DateTimeOffset createdAt, DateTimeOffset now, DemoRandom random)
    {
        var span = now - createdAt;
        var analyzedAt = createdAt + span * random.NextDouble(0.05, 0.6);
        var ratedAt = analyzedAt + (now - analyzedAt) * random.NextDouble(0.05, 0.95);
        return (Truncate(analyzedAt), Truncate(ratedAt));

        // Whole seconds, as a database round trip would keep them anyway.
        static DateTimeOffset Truncate(DateTimeOffset t) => t.AddTicks(-(t.Ticks % TimeSpan.TicksPerSecond));
    }

    /// <summary>A seeded partial shuffle over videos an analyst would pick: posted videos with a duration and no glitch.</summary>
    private static IEnumerable<int> PickAnalyzed(List<DemoVideo> videos, DemoDataOptions options)
    {
        var eligible = new List<int>(videos.Count);
        for (var i = 0; i < videos.Count; i++)
        {
            var record = videos[i].Record;
            if (record.DurationSeconds > 0 && record.Flags == DataQualityFlags.None)
                eligible.Add(i);
        }

        // With a tiny data set there may be too few clean videos; then take glitched ones too.
        var count = options.Analyzed + options.AwaitingRating;
        if (eligible.Count < count)
            eligible = Enumerable.Range(0, videos.Count).ToList();

        var random = new DemoRandom(options.Seed, SelectionStream);
        for (var i = 0; i < count; i++)
        {
            var j = i + random.Next(eligible.Count - i);
            (eligible[i], eligible[j]) = (eligible[j], eligible[i]);
            yield return eligible[i];
        }
    }
}
