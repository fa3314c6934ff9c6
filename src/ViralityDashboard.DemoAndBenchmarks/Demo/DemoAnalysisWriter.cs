using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Core.Videos;
using static ViralityDashboard.DemoAndBenchmarks.Demo.DemoVocabulary;

namespace ViralityDashboard.DemoAndBenchmarks.Demo;

/// <summary>
/// Writes a v3 visual analysis (seed 003) for a demo video. A handful of hidden traits drive
/// groups of features, so related features correlate as they would in real analyses:
/// simplicity (easy to remake, self-contained), comedy craft, trend reliance, production effort,
/// looks/casting reliance and general quality.
/// </summary>
internal static class DemoAnalysisWriter
{
    public sealed record Analysis(string Json, int FeatureCount, IReadOnlyDictionary<string, FeatureValue> Features);

    public static Analysis Write(ScrapedVideoRecord video, Niche niche, DemoRandom random)
    {
        var duration = video.DurationSeconds is > 0 and { } d ? d : 15;
        bool? premadeSound = video.SoundOriginal is { } original ? !original : null;
        // Videos built on a trending sound are more often tied to that trend and harder to transplant.
        var simplicity = random.NextGaussian() + (premadeSound == true ? -0.35 : premadeSound == false ? 0.15 : 0);
        var craft = random.NextGaussian();
        var effort = 0.45 * -simplicity + 0.9 * random.NextGaussian();
        // Meme-driven and looks-driven videos tend to be the ones that are hard to remake elsewhere.
        var looks = -0.5 * simplicity + 0.85 * random.NextGaussian();
        var quality = random.NextGaussian();
        var trend = -0.5 * simplicity + 0.85 * random.NextGaussian() + (premadeSound == true ? 0.8 : premadeSound == false ? -0.4 : 0);

        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();

            var castSize = Math.Clamp(1 + (int)(random.NextExponential() * (0.6 + 0.4 * Math.Max(0, effort))), 1, 6);
            var format = random.Pick(Formats);
            var hookStrength = Score(random, 6 + 1.1 * quality + 0.5 * craft, 1.2);

            w.WriteStartObject("script");
            {
                w.WriteStartObject("replicability");
                var replicability = Score(random, 5.5 + 1.7 * simplicity - 0.5 * effort, 1.0);
                w.WriteNumber("score", replicability);
                w.WriteString("difficulty", replicability >= 7 ? "easy" : replicability >= 4 ? "medium" : "hard");
                WriteStrings(w, "requiredElements", random, RequiredElements, 1 + (int)(random.NextExponential() * 1.2 + Math.Max(0, effort)), 6);
                w.WriteNumber("propsNeeded", Math.Clamp((int)Math.Round(1 + effort + random.NextGaussian()), 0, 8));
                w.WriteBoolean("canFilmAlone", castSize == 1);
                w.WriteNumber("setupMinutes", Math.Round(Math.Exp(2.3 + 0.5 * effort - 0.3 * simplicity + random.NextGaussian(0, 0.4))));
                w.WriteEndObject();

                w.WriteStartObject("humor");
                w.WriteNumber("comedyTiming", Score(random, 6 + 1.7 * craft, 0.9));
                w.WriteNumber("jokeDensity", Math.Round(Math.Clamp(1.5 + 0.6 * craft + random.NextGaussian(0, 0.6), 0, 6), 1));
                w.WriteNumber("punchlineCount", Math.Clamp((int)Math.Round(1 + 0.7 * craft + random.NextExponential() * 0.8), 0, 6));
                w.WriteBoolean("callback", random.Chance(Sigmoid(0.6 * craft - 1)));
                w.WriteBoolean("escalation", random.Chance(Sigmoid(0.5 * craft - 0.3)));
                w.WriteNumber("subversion", Score(random, 5 + 1.2 * craft + 0.3 * quality, 1.5));
                w.WriteEndObject();

                w.WriteStartObject("structure");
                w.WriteNumber("hookStrength", hookStrength);
                w.WriteNumber("payoffStrength", Score(random, 5.5 + 1.5 * craft + 0.4 * simplicity, 1.0));
                w.WriteBoolean("hasTwist", random.Chance(Sigmoid(0.7 * craft)));
                w.WriteNumber("beatCount", Math.Clamp((int)Math.Round(3 + duration / 20 + random.NextGaussian()), 1, 12));
                w.WriteNumber("setupSeconds", Math.Round(duration * random.NextDouble(0.2, 0.5), 1));
                w.WriteString("format", format);
                w.WriteEndObject();

                w.WriteStartObject("dialogue");
                var hasDialogue = random.Chance(0.7);
                w.WriteBoolean("hasDialogue", hasDialogue);
                w.WriteNumber("wordsPerMinute", hasDialogue ? Math.Round(random.NextGaussian(150, 30)) : 0);
                w.WriteString("language", random.Pick(Languages));
                w.WriteBoolean("voiceover", random.Chance(0.3));
                w.WriteBoolean("textToSpeech", random.Chance(0.12));
                w.WriteEndObject();

                w.WriteStartObject("premise");
                w.WriteNumber("clarity", Score(random, 6.5 + 0.8 * simplicity + 0.4 * quality, 1.2));
                w.WriteNumber("novelty", Score(random, 5.5 + 0.9 * quality - 0.9 * trend, 1.3));
                w.WriteBoolean("relatable", random.Chance(Sigmoid(0.8 + 0.5 * simplicity)));
                w.WriteEndObject();
            }
            w.WriteEndObject();

            w.WriteStartObject("standalone");
            {
                var series = random.Chance(Sigmoid(-1.2 - 0.3 * simplicity));
                var needsSeries = series && random.Chance(0.5);
                w.WriteBoolean("worksWithoutContext", random.Chance(Sigmoid(0.6 + 0.9 * simplicity + 0.4 * craft - 0.8 * trend)));
                w.WriteBoolean("requiresSeriesKnowledge", needsSeries);
                w.WriteNumber("contextNeeded", Score(random, 3.5 - 1.2 * simplicity + 0.9 * trend + (needsSeries ? 2 : 0), 1.2));
                w.WriteBoolean("partOfSeries", series);
            }
            w.WriteEndObject();

            w.WriteStartObject("comedyStyle");
            {
                var primary = random.Pick(ComedyStyles);
                w.WriteString("primary", primary);
                w.WriteStartObject("contrastMechanism");
                var contrast = random.Chance(Sigmoid(0.2 + 1.3 * craft + 0.3 * simplicity));
                w.WriteBoolean("present", contrast);
                if (contrast)
                    w.WriteString("type", random.Pick(ContrastTypes));
                else
                    w.WriteNull("type");
                w.WriteNumber("strength", contrast ? Score(random, 5.5 + 1.3 * craft, 1.2) : 0);
                w.WriteEndObject();
                w.WriteNumber("absurdity", Score(random, 4.5 + 0.6 * craft, 2));
                w.WriteNumber("relatability", Score(random, 6 + 0.9 * simplicity, 1.5));
                w.WriteBoolean("selfDeprecating", random.Chance(0.3));
                w.WriteBoolean("observational", primary == "observational" || random.Chance(0.2));
                w.WriteBoolean("physicalComedy", primary == "physical" || random.Chance(0.15));
                w.WriteBoolean("wordplay", random.Chance(Sigmoid(-1.2 + 0.5 * craft)));
                w.WriteBoolean("darkHumor", random.Chance(0.1));
                w.WriteNumber("cringe", Score(random, 3 + 0.8 * trend, 1.8));
                w.WriteBoolean("deadpan", primary == "deadpan" || random.Chance(0.1));
            }
            w.WriteEndObject();

            w.WriteStartObject("flexibility");
            {
                w.WriteBoolean("swappableCore", random.Chance(Sigmoid(0.1 + 1.2 * simplicity - 0.5 * looks)));
                w.WriteBoolean("industryLock", random.Chance(Sigmoid(-1.3 - 1.1 * simplicity + 0.2 * effort)));
                var adaptable = Math.Clamp((int)Math.Round(1.5 + simplicity + random.NextGaussian(0, 0.7)), 0, 5);
                WriteStrings(w, "adaptableNiches", random, NicheNames, adaptable, 5);
                w.WriteNumber("localizationEase", Score(random, 6 + simplicity - 0.6 * trend, 1.4));
                w.WriteBoolean("templateReady", random.Chance(Sigmoid(simplicity - 0.2)));
            }
            w.WriteEndObject();

            w.WriteStartObject("trends");
            {
                var meme = random.Chance(Sigmoid(-0.7 + 1.7 * trend));
                var premade = premadeSound ?? random.Chance(Sigmoid(1.3 * trend));
                w.WriteBoolean("memeDependent", meme);
                w.WriteBoolean("usesPremadeSound", premade);
                var onTrend = meme || random.Chance(Sigmoid(trend - 1));
                if (onTrend)
                {
                    w.WriteString("trendName", random.Pick(TrendNames));
                    w.WriteNumber("trendAgeDays", Math.Round(2 + random.NextExponential() * 20));
                }
                else
                {
                    w.WriteNull("trendName");
                    w.WriteNull("trendAgeDays");
                }

                w.WriteBoolean("formatRecognizable", random.Chance(Sigmoid(1.2 * trend + 0.2)));
                w.WriteBoolean("challenge", random.Chance(Sigmoid(-1.8 + 0.8 * trend)));
                w.WriteBoolean("hashtagDriven", random.Chance(Sigmoid(-0.5 + 0.7 * trend)));
                w.WriteNumber("shelfLifeDays", Math.Round(Math.Exp(3.5 - 0.9 * trend + random.NextGaussian(0, 0.5))));
            }
            w.WriteEndObject();

            w.WriteStartObject("casting");
            {
                w.WriteNumber("actingSkillRequired", Score(random, 4.5 - 1.2 * simplicity + 0.5 * effort, 1.1));
                w.WriteNumber("attractivenessDependency", Score(random, 3.5 + 1.6 * looks - 0.4 * simplicity, 1.0));
                w.WriteNumber("castSize", castSize);
                WriteStrings(w, "roles", random, Roles, castSize, castSize);
                w.WriteBoolean("requiresSpecificPerson", random.Chance(Sigmoid(-1.5 + 0.9 * looks)));
                w.WriteString("ageRange", random.Pick(AgeRanges));
                w.WriteBoolean("faceVisible", random.Chance(0.88));
                w.WriteBoolean("petOrChild", niche.Name == "pets" || random.Chance(0.05));
            }
            w.WriteEndObject();

            var effectCount = Math.Clamp((int)(random.NextExponential() * (0.8 + 0.5 * Math.Max(0, effort))), 0, 5);
            var effects = PickDistinct(random, Effects, effectCount);
            var shotCount = Math.Clamp((int)Math.Round(Math.Exp(1.6 + 0.4 * effort + random.NextGaussian(0, 0.4)) * Math.Sqrt(duration / 30)), 1, 80);

            w.WriteStartObject("production");
            {
                w.WriteNumber("shotComplexity", Score(random, 4.5 - 0.7 * simplicity + 1.2 * effort, 1.0));
                w.WriteNumber("shotCount", shotCount);
                w.WriteString("cameraMovement", effort > 0.8 ? "gimbal" : random.Pick(CameraMovements));
                w.WriteNumber("locationCount", Math.Clamp((int)Math.Round(1 + random.NextExponential() * 0.5 * (1 + Math.Max(effort, 0))), 1, 6));
                w.WriteNumber("editingComplexity", Score(random, 4.5 + 1.3 * effort, 1.2));
                WriteStrings(w, "effectsUsed", effects);
                w.WriteString("lighting", random.Pick(Lighting));
                w.WriteBoolean("textOverlays", random.Chance(0.65));
                w.WriteBoolean("captionsBurnedIn", random.Chance(0.5));
                w.WriteString("budgetLevel", effort > 1 ? "high" : effort > -0.3 ? "medium" : "low");
                w.WriteBoolean("greenScreen", effects.Contains("green screen"));
                w.WriteBoolean("tripodStable", random.Chance(Sigmoid(0.5 + 0.5 * effort)));
                w.WriteNumber("transitions", Math.Clamp((int)Math.Round(random.NextExponential() * (1.5 + effort)), 0, 15));
            }
            w.WriteEndObject();

            w.WriteStartObject("audio");
            {
                var effectsCount = Math.Clamp((int)(random.NextExponential() * (1.3 + 0.6 * Math.Max(0, effort) + 0.4 * Math.Max(0, trend))), 0, 7);
                var soundEffects = PickDistinct(random, SoundEffects, effectsCount);
                WriteStrings(w, "soundEffects", soundEffects);
                var music = premadeSound == true || random.Chance(0.7);
                w.WriteStartObject("music");
                w.WriteBoolean("present", music);
                if (music)
                {
                    w.WriteString("genre", random.Pick(MusicGenres));
                    w.WriteNumber("bpm", Math.Round(random.NextGaussian(115, 20)));
                }
                else
                {
                    w.WriteNull("genre");
                    w.WriteNull("bpm");
                }

                w.WriteNumber("energy", Score(random, 5.5 + 0.5 * trend, 2));
                w.WriteEndObject();
                w.WriteNumber("voiceClarity", Score(random, 7 + 0.4 * quality, 1.3));
                w.WriteBoolean("laughTrack", soundEffects.Contains("laugh"));
                w.WriteBoolean("trendingSound", premadeSound == true && random.Chance(0.8));
                w.WriteNumber("volumeBalance", Score(random, 7, 1.5));
                w.WriteNumber("silenceRatio", Math.Round(random.NextDouble(0, 0.25), 2));
            }
            w.WriteEndObject();

            w.WriteStartObject("visual");
            {
                WriteStrings(w, "colorPalette", random, Palettes, 1 + random.Next(3), 4);
                w.WriteNumber("brightness", Math.Round(Math.Clamp(random.NextGaussian(0.6, 0.12), 0, 1), 2));
                w.WriteNumber("saturation", Math.Round(Math.Clamp(random.NextGaussian(0.55, 0.15), 0, 1), 2));
                w.WriteString("dominantSetting", random.Pick(Settings));
                w.WriteNumber("faceOnScreenRatio", Math.Round(Math.Clamp(random.NextGaussian(0.55, 0.2), 0, 1), 2));
                w.WriteBoolean("textOnScreen", random.Chance(0.7));
                var shape = random.NextDouble();
                w.WriteString("aspectRatio", shape < 0.93 ? "9:16" : shape < 0.97 ? "16:9" : "1:1");
                w.WriteNumber("thumbnailStrength", Score(random, 5.5 + 0.8 * quality, 1.5));
            }
            w.WriteEndObject();

            w.WriteStartObject("hook");
            {
                var type = random.Pick(HookTypes);
                w.WriteString("type", type);
                w.WriteBoolean("firstSecondMotion", random.Chance(Sigmoid(0.4 + 0.6 * quality)));
                w.WriteNumber("timeToHookSeconds", Math.Round(Math.Clamp(Math.Exp(random.NextGaussian(0.3 - 0.3 * quality, 0.5)), 0.2, 8), 1));
                w.WriteBoolean("questionHook", type == "question");
                w.WriteBoolean("textHook", random.Chance(0.5));
                w.WriteBoolean("faceInFirstFrame", random.Chance(0.7));
            }
            w.WriteEndObject();

            w.WriteStartObject("pacing");
            {
                w.WriteNumber("cutsPerMinute", Math.Round(shotCount / duration * 60, 1));
                w.WriteNumber("deadAirSeconds", Math.Round(Math.Max(0, random.NextGaussian(1.2 - 0.4 * quality, 0.8)), 1));
                w.WriteString("rhythm", random.Pick(Rhythms));
                w.WriteBoolean("speedRamp", effects.Contains("speed ramp"));
                w.WriteNumber("averageShotSeconds", Math.Round(duration / shotCount, 1));
            }
            w.WriteEndObject();

            w.WriteStartObject("emotion");
            {
                w.WriteString("primary", random.Pick(Emotions));
                w.WriteNumber("intensity", Score(random, 6 + 0.6 * craft, 1.5));
                WriteStrings(w, "arc", random, EmotionArc, 1 + random.Next(3), 3);
                w.WriteNumber("surpriseLevel", Score(random, 5 + 0.9 * craft + 0.3 * quality, 1.5));
                w.WriteBoolean("wholesome", random.Chance(0.35));
            }
            w.WriteEndObject();

            w.WriteStartObject("engagement");
            {
                w.WriteBoolean("ctaPresent", random.Chance(0.3));
                w.WriteBoolean("commentBait", random.Chance(Sigmoid(-1 + 0.5 * trend)));
                w.WriteBoolean("loopable", random.Chance(Sigmoid(-0.6 + 0.5 * quality + 0.3 * craft)));
                w.WriteNumber("shareability", Score(random, 5.5 + 0.7 * craft + 0.5 * simplicity, 1.3));
                w.WriteNumber("rewatchValue", Score(random, 5 + 0.8 * craft + 0.5 * quality, 1.3));
                w.WriteNumber("controversy", Score(random, 2.5 + 0.5 * trend, 1.5));
            }
            w.WriteEndObject();

            w.WriteStartObject("audience");
            {
                w.WriteString("targetAge", random.Pick(TargetAges));
                w.WriteString("niche", niche.Name);
                w.WriteNumber("broadAppeal", Score(random, 6 + 0.6 * simplicity - 0.4 * trend, 1.5));
                w.WriteString("genderSkew", random.Pick(GenderSkews));
            }
            w.WriteEndObject();

            w.WriteStartObject("meta");
            {
                w.WriteNumber("durationSeconds", duration);
                w.WriteNumber("modelConfidence", Math.Round(random.NextDouble(0.7, 0.98), 2));
                w.WriteString("analysisModel", "vision-v3");
                w.WriteNumber("framesSampled", Math.Clamp((int)Math.Round(duration * 2), 10, 360));
            }
            w.WriteEndObject();

            // Free text, which feature typing classifies as text and skips.
            w.WriteString("summary", string.Create(CultureInfo.InvariantCulture, $"A {duration:0}-second {format} in a {random.Pick(Settings)} with {castSize} on screen; {random.Pick(niche.Topics)}."));

            w.WriteEndObject();
        }

        var json = Encoding.UTF8.GetString(buffer.WrittenSpan);
        var features = AnalysisFlattener.Flatten(json);
        return new Analysis(json, features.Count, features);
    }

    private static int Score(DemoRandom random, double mean, double standardDeviation) =>
        Math.Clamp((int)Math.Round(random.NextGaussian(mean, standardDeviation)), 1, 10);

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static void WriteStrings(Utf8JsonWriter w, string name, DemoRandom random, string[] pool, int count, int max) =>
        WriteStrings(w, name, PickDistinct(random, pool, Math.Clamp(count, 0, max)));

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
            w.WriteStringValue(value);
        w.WriteEndArray();
    }

    private static List<string> PickDistinct(DemoRandom random, string[] pool, int count)
    {
        count = Math.Min(count, pool.Length);
        var picked = new List<string>(count);
        while (picked.Count < count)
        {
            var value = random.Pick(pool);
            if (!picked.Contains(value))
                picked.Add(value);
        }

        return picked;
    }
}
