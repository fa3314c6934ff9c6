using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using Npgsql;
using ViralityDashboard.Data.Embedded;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Browser;

/// <summary>The preference predictor and the most-uncertain-first rating queue, in Chromium against an app with a trained preference model.</summary>
[Collection(PreferenceAppCollection.Name)]
[Trait("Category", "Browser")]
public sealed partial class PreferencePredictFlowTests(RunningApp app, BrowserSession browser) : IClassFixture<BrowserSession>
{
    [GeneratedRegex("trained on ([-0-9.]+)–([-0-9.]+)")]
    private static partial Regex TrainingRange();

    [Fact]
    public async Task OwnerPredictsAPreferenceScoreFromAPickedVideoAndEditsAFeature()
    {
        var tag = await PreferenceAppCollection.EnsureTrainedAsync(app);
        var page = await browser.SignInAsOwnerAsync(app);
        await BrowserSession.GotoInteractiveAsync(page, "/predict?mode=preference");

        await page.GetByTestId("pick-video").First.ClickAsync();

        var score = page.GetByTestId("preference-score");
        await Assertions.Expect(score).ToHaveTextAsync(new Regex("^\\d{1,2}\\.\\d$"), new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("preference-version-used")).ToContainTextAsync(tag);
        await Assertions.Expect(page.GetByTestId("preference-live")).ToContainTextAsync("logged");
        await Assertions.Expect(page.GetByTestId("preference-factors").Locator(".main-svg").First).ToBeVisibleAsync();
        var before = await score.TextContentAsync();

        // The model's most important numeric feature: move it to the other end of its training range.
        var field = page.Locator("[data-testid=feature-editor] .mud-input-control").Filter(new() { HasTextRegex = TrainingRange() }).First;
        var range = TrainingRange().Match(await field.TextContentAsync() ?? "");
        var input = field.Locator("input");
        var current = double.Parse(await input.InputValueAsync(), CultureInfo.InvariantCulture);
        var (min, max) = (double.Parse(range.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(range.Groups[2].Value, CultureInfo.InvariantCulture));
        await input.FillAsync((current > (min + max) / 2 ? min : max).ToString(CultureInfo.InvariantCulture));

        await Assertions.Expect(score).Not.ToHaveTextAsync(before!);
        await Assertions.Expect(page.GetByTestId("preference-live")).ToContainTextAsync("live");
        await page.WaitForTimeoutAsync(700); // let Plotly redraw before the screenshot
        await BrowserSession.ScreenshotAsync(page, "predict-preference");
    }

    [Fact]
    public async Task OwnerRatesTheMostUncertainVideosFirst()
    {
        await PreferenceAppCollection.EnsureTrainedAsync(app);
        var outlier = await AnalyzeUnratedVideosAsync();
        var page = await browser.SignInAsOwnerAsync(app);
        await BrowserSession.GotoInteractiveAsync(page, "/rate");

        await page.GetByTestId("order-uncertain").ClickAsync();

        await Assertions.Expect(page.GetByTestId("video-link")).ToContainTextAsync(outlier, new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("uncertainty")).ToContainTextAsync("outside the training data");
        await Assertions.Expect(page.GetByTestId("rate-panel")).ToBeFocusedAsync();
        await page.WaitForTimeoutAsync(400);
        await BrowserSession.ScreenshotAsync(page, "rate-uncertain");
    }

    /// <summary>
    /// Give six unanalyzed, unrated videos copies of rated analyses, one with six of the model's top features far
    /// above anything it trained on (the demo's own 40 unrated analyses are ordinary). Returns that video's platform id.
    /// </summary>
    private async Task<string> AnalyzeUnratedVideosAsync()
    {
        await using var server = await EmbeddedPostgres.StartAsync(app.DataDirectory, NullLogger.Instance);
        await using var conn = new NpgsqlConnection(server.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            WITH unrated AS (
                SELECT v.id, row_number() OVER (ORDER BY v.id) AS rn FROM scraped_videos v
                WHERE NOT EXISTS (SELECT 1 FROM video_ratings r WHERE r.video_id = v.id)
                  AND NOT EXISTS (SELECT 1 FROM analyzed_videos x WHERE x.video_id = v.id)
                ORDER BY v.id LIMIT 6),
            source AS (SELECT visual_analysis, analysis_version, feature_count, row_number() OVER (ORDER BY id) AS rn FROM analyzed_videos)
            INSERT INTO analyzed_videos (video_id, analysis_version, visual_analysis, feature_count, analyzed_at)
            SELECT u.id, s.analysis_version,
                   CASE WHEN u.rn = 3 THEN
                     jsonb_set(jsonb_set(jsonb_set(jsonb_set(jsonb_set(jsonb_set(s.visual_analysis,
                       '{script,replicability,score}', '40'), '{script,humor,comedyTiming}', '400'),
                       '{production,shotComplexity}', '400'), '{script,structure,payoffStrength}', '400'),
                       '{casting,attractivenessDependency}', '400'), '{pacing,averageShotSeconds}', '4000')
                   ELSE s.visual_analysis END,
                   s.feature_count, now()
            FROM unrated u JOIN source s ON s.rn = u.rn;
            SELECT v.platform_video_id FROM scraped_videos v JOIN analyzed_videos a ON a.video_id = v.id
            WHERE a.visual_analysis #>> '{script,replicability,score}' = '40';
            """, conn);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }
}
