using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Core.Engagement;

/// <summary>
/// Seeded synthetic TikTok videos with plausible, correlated statistics: followers log-normal around
/// 20k, views driven by followers plus metadata effects (sound, duration, hashtags, posting hour) and
/// noise, engagement rates log-normal and mildly rising with reach. Same seed, same videos.
/// </summary>
public static class SyntheticVideos
{
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IEnumerable<ScrapedVideoRecord> Generate(int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var logFollowers = Normal(random, 10.0, 1.8);
            var hasSound = random.NextDouble() < 0.7;
            var duration = Math.Round(Math.Clamp(Math.Exp(Normal(random, 3.3, 0.6)), 5, 600));
            var hashtags = random.Next(0, 12);
            var posted = Epoch.AddMinutes(random.Next(0, 365 * 24 * 60));
            var eveningBoost = posted.Hour is >= 17 and <= 22 ? 0.3 : 0.0;
            var logViews = 2.5 + 0.75 * logFollowers
                + (hasSound ? 0.4 : 0)
                - 0.6 * Math.Abs(duration - 30) / 60
                + 0.05 * Math.Min(hashtags, 6)
                + eveningBoost
                + Normal(random, 0, 1.0);
            var views = (long)Math.Max(1, Math.Round(Math.Exp(logViews)));
            var reach = Math.Clamp((logViews - 9) * 0.08, -0.3, 0.5);
            var likeRate = Math.Clamp(Math.Exp(Normal(random, -2.8 + reach, 0.5)), 0, 0.9);
            var likes = (long)Math.Round(views * likeRate);
            var comments = (long)Math.Round(likes * Math.Exp(Normal(random, -4.0, 0.7)));
            var shares = (long)Math.Round(likes * Math.Exp(Normal(random, -3.2 + reach, 0.8)));
            var saves = (long)Math.Round(likes * Math.Exp(Normal(random, -2.0, 0.6)));
            var followers = (long)Math.Round(Math.Exp(logFollowers));
            yield return new ScrapedVideoRecord
            {
                VideoId = $"synthetic-{seed}-{i:D7}",
                Views = views,
                Likes = likes,
                Comments = comments,
                Shares = shares,
                Saves = saves,
                DurationSeconds = duration,
                Hashtags = Enumerable.Range(0, hashtags).Select(h => $"tag{h}").ToArray(),
                SoundName = hasSound ? $"sound {random.Next(500)}" : null,
                Description = new string('x', random.Next(0, 300)),
                CreatedAt = posted,
                AuthorHandle = $"creator{random.Next(400)}",
                AuthorFollowers = followers,
                AuthorVerified = followers > 1_000_000,
            };
        }
    }

    private static double Normal(Random random, double mean, double sd)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return mean + sd * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

/// <summary>
/// The bundled training set used when fewer than 500 scraped videos are trainable: synthetic videos,
/// seed15 features, view-quintile tiers, stratified 80/20 split, in the seed's JSON format.
/// </summary>
public static class FallbackTrainingSet
{
    public const int DefaultCount = 5000;
    public const int DefaultSeed = 42;

    public static TrainingDataFile Generate(int count = DefaultCount, int seed = DefaultSeed)
    {
        var dataset = EngagementDataset.Build(SyntheticVideos.Generate(count, seed), FeatureSet.Seed15, TierScheme.Views);
        var rows = dataset.Rows;
        var split = Splits.Stratified(rows.Select(r => r.Label).ToArray(), 0.2, seed);
        TrainingDataPart Part(int[] indices) =>
            new(indices.Select(i => rows[i].Features).ToArray(), indices.Select(i => rows[i].Label).ToArray());
        return new TrainingDataFile(FeatureSet.Seed15.FeatureNames.ToArray(), Part(split.Train), Part(split.Test));
    }
}
