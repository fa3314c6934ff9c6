using ViralityDashboard.Core.Ml;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using ViralityDashboard.Account;
using ViralityDashboard.Components.Charts;
using ViralityDashboard.Components.Pages.Training;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Training;

namespace ViralityDashboard.Tests.Components.Pages.Training;

public sealed class PreferenceTrainingTests : DashboardTestContext
{
    private readonly FakeTraining _training = new();
    private readonly FakePreference _preference = new();

    public PreferenceTrainingTests()
    {
        _training.Register(Services);
        _preference.Register(Services);
    }

    [Fact]
    public void ShowsWhereTheDataStandsAndWhatTheNextMilestoneUnlocks()
    {
        AddAuthorization().SetAuthorized("viewer");

        var cut = Render<PreferenceTraining>();

        cut.WaitForAssertion(() => Assert.Equal("300", cut.Find("[data-testid=pref-rows]").TextContent));
        Assert.Contains("Reached retrain", cut.Find("[data-testid=milestone-summary]").TextContent);
        Assert.Equal("300 / 500 rows · 200 more to model comparison", cut.Find("[data-testid=rows-to-next]").TextContent.Trim());
        Assert.Contains("random forest versus ridge", cut.Find("[data-testid=next-unlocks]").TextContent);
        Assert.Contains(FakePreference.Active, cut.Find("[data-testid=pref-active]").TextContent);
        Assert.Equal(4, cut.FindAll("[data-testid=milestone-steps] .mud-chip").Count);
    }

    [Fact]
    public void ShowsEachDataTriggersFigureAgainstItsThreshold()
    {
        AddAuthorization().SetAuthorized("viewer");

        var cut = Render<PreferenceTraining>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=trigger-outcomes] tbody tr").Count));
        var rows = cut.FindAll("[data-testid=trigger-outcomes] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains("new ratings", rows[0]);
        Assert.Contains("12", rows[0]);
        Assert.Contains("50", rows[0]);
        Assert.Contains("0.031", rows[2]);
        Assert.Contains("0.100", rows[2]);
        Assert.Contains("≥ 50 new ratings", cut.Find("[data-testid=trigger-rules]").TextContent);
        Assert.Contains("12 new ratings since", cut.Find("[data-testid=trigger-summary]").TextContent);
    }

    [Fact]
    public void ShowsRunHistoryWithTheFiredTriggerAndTheLatestRunsDetail()
    {
        AddAuthorization().SetAuthorized("viewer");

        var cut = Render<PreferenceTraining>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=pref-run-history] tbody tr").Count));
        Assert.Contains("new ratings", cut.FindAll("[data-testid=pref-run-trigger]")[0].TextContent);
        var detail = cut.Find("[data-testid=pref-run-detail]");
        Assert.Contains("Preference run #9", detail.TextContent);
        Assert.Contains("Fired by new ratings", cut.Find("[data-testid=pref-run-fired]").TextContent);
        Assert.Contains("Gate rejected", cut.Find("[data-testid=pref-gate]").TextContent);
        // Errors on the 0–10 scale of the predictions: 0.097 of the 0–1 score is 0.97 points.
        Assert.Contains("MAE 0.97: production ready; R² 0.640: good predictive power.", cut.Find("[data-testid=pref-verdict]").TextContent);
        Assert.Equal(["MAE<1.50,≥10%belowbaseline,R²≥0.40productionready", "R²>0.6goodpredictivepower"],
            cut.FindAll("[data-testid=verdict-criteria] tr[data-hit]").Select(r => Normalize(r.TextContent)));
        Assert.Contains("at least 10% below the mean baseline's MAE, and R² at least 0.40", cut.Find("[data-testid=verdict-rule]").TextContent);
        Assert.Contains("1.76", cut.Find("[data-testid=pref-baseline]").TextContent);
        Assert.Contains("5-fold CV MAE 0.95 ± 0.10", cut.Find("[data-testid=pref-cv]").TextContent);
        Assert.Contains("1.04 → 0.97 (improved)", cut.Find("[data-testid=pref-previous]").TextContent);
        Assert.Equal(3, cut.FindAll("[data-testid=pref-dimensions] tbody tr").Count);
        Assert.Contains("read", cut.Find("[data-testid=pref-timings]").TextContent);
    }

    [Fact]
    public void ShowsCorrelationsWithSignificanceAndTheExpectedCorrelationsCheck()
    {
        AddAuthorization().SetAuthorized("viewer");

        var cut = Render<PreferenceTraining>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=pref-correlations] tbody tr")));
        var levels = cut.FindAll("[data-testid=pref-correlations] [data-testid=significance]").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["high", "high", "medium", "medium", "none", "high", "medium", "medium", "none"], levels);
        Assert.Contains("+0.690", cut.Find("[data-testid=pref-correlations]").TextContent);
        Assert.Contains("−0.580", cut.Find("[data-testid=pref-correlations]").TextContent);
        // 7 of the seed's 13 expected features are in the fake snapshot, all with the right sign at medium or high.
        Assert.Equal("Expected correlations: 7 of 13 confirmed", cut.Find("[data-testid=pref-expected-summary]").TextContent.Trim());
        Assert.Equal(13, cut.FindAll("[data-testid=pref-expected] tbody tr").Count);
        Assert.Equal(9, cut.FindComponent<CorrelationChart>().Instance.Bars.Count);
    }

    [Fact]
    public void ListsOverAndUnderEstimatedVideosWithTheOwnersNotes()
    {
        AddAuthorization().SetAuthorized("viewer");

        var cut = Render<PreferenceTraining>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=pref-overestimated] tbody tr").Count));
        var over = cut.Find("[data-testid=pref-overestimated]").TextContent;
        Assert.Contains("#1042", over);
        Assert.Contains("+0.280", over);
        Assert.Contains("payoff is a meme", over);
        // A rating whose video is known links to that video's page; one without stays plain text.
        Assert.Equal("/videos/77", cut.Find("[data-testid=pref-overestimated] tbody tr a").GetAttribute("href"));
        Assert.Single(cut.FindAll("[data-testid=pref-overestimated] tbody tr a"));
        var under = cut.Find("[data-testid=pref-underestimated]").TextContent;
        Assert.Contains("−0.260", under);
        Assert.Contains("the timing is perfect", under);
    }

    [Fact]
    public void ADimensionTheFeaturesDoNotExplainIsCalledOut()
    {
        AddAuthorization().SetAuthorized("viewer");

        var cut = Render<PreferenceTraining>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=pref-dimensions] tbody tr").Count));
        var note = cut.Find("[data-testid=pref-dimensions-unexplained]").TextContent;
        Assert.Contains("R² ≤ 0 for pacing:", note);
        Assert.DoesNotContain("hook", note);
    }

    [Fact]
    public void ACorrelationOnlyRunShowsItsSnapshotButNoModel()
    {
        AddAuthorization().SetAuthorized("viewer");
        var cut = Render<PreferenceTraining>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=pref-run-history] tbody tr").Count));
        cut.FindAll("[data-testid=pref-run-history] tbody tr")[2].Click();

        cut.WaitForAssertion(() => Assert.Contains("Preference run #6", cut.Find("[data-testid=pref-run-detail]").TextContent));
        Assert.Equal("correlation", cut.Find("[data-testid=pref-run-milestone]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=pref-verdict]"));
        Assert.Empty(cut.FindAll("[data-testid=pref-overestimated]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=pref-correlations] tbody tr"));
    }

    [Fact]
    public void AtTheModelComparisonMilestoneShowsRidgeAgainstTheForest()
    {
        var cut = Render<PreferenceMetricsView>(p => p.Add(v => v.Result, FakePreference.Result(PreferenceMilestone.ModelComparison, forest: true)));

        var rows = cut.FindAll("[data-testid=pref-candidates] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains("ridge", rows[0]);
        Assert.Contains("selected", rows[0]);
        Assert.Contains("random forest", rows[1]);
        Assert.DoesNotContain("selected", rows[1]);
    }

    [Fact]
    public void OwnerTrainsThePreferenceModelAndFollowsItsProgress()
    {
        AddAuthorization().SetAuthorized("owner").SetPolicies(Policies.Owner);
        var cut = Render<PreferenceTraining>();

        cut.WaitForElement("[data-testid=pref-launch]").Click();

        var request = Assert.Single(_training.Launched);
        Assert.Equal((ModelKind.Preference, "owner"), (request.ModelKind, request.RequestedBy));
        Assert.True(request.IsPreference);
        cut.WaitForAssertion(() => Assert.Contains("queued", cut.Find("[data-testid=pref-progress]").TextContent));
        _training.LaunchedRun = new(10, RunTrigger.Manual, RunStatus.Running, FakeTraining.T0.AddDays(4), null, 300, null, [], null, null, null, null, [new("read", 84)]) { Kind = ModelKind.Preference };
        cut.WaitForAssertion(() => Assert.Equal("· step load-active · 300 rows", cut.Find("[data-testid=current-step]").TextContent.Trim()), TimeSpan.FromSeconds(5));
        _training.LaunchedRun = _training.LaunchedRun with { Steps = [new("read", 84), new("load-active", 12)] };
        cut.WaitForAssertion(() => Assert.Contains("step fit", cut.Find("[data-testid=current-step]").TextContent), TimeSpan.FromSeconds(5));
        _training.LaunchedRun = _training.LaunchedRun with { Status = RunStatus.Completed, FinishedAt = FakeTraining.T0.AddDays(4).AddSeconds(1.2), GateDecision = GateVerdict.Accepted, VersionTag = "pref-20261124-030000-r10" };
        cut.WaitForAssertion(() => Assert.Contains("run #10", cut.Find("[data-testid=pref-progress]").TextContent), TimeSpan.FromSeconds(5));
        Assert.Contains("gate accepted · pref-20261124-030000-r10", cut.Find("[data-testid=pref-progress]").TextContent);
    }

    [Fact]
    public void ViewerSeesNoPreferenceLaunch()
    {
        AddAuthorization().SetAuthorized("viewer");

        var cut = Render<PreferenceTraining>();

        cut.WaitForAssertion(() => Assert.Contains("Only the owner can train the preference model", cut.Find("[data-testid=pref-owner-only]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=pref-launch]"));
    }

    [Fact]
    public async Task GuardRefusesAViewerWhoReachesThePreferenceLaunchAnyway()
    {
        AddAuthorization().SetAuthorized("viewer");
        var panel = Render<PreferenceLaunchPanel>();

        panel.Find("[data-testid=pref-launch]").Click();

        Assert.Empty(_training.Launched);
        await Assert.ThrowsAsync<NotOwnerException>(() => Services.GetRequiredService<OwnerGuard>().EnsureOwnerAsync("train the preference model"));
    }

    [Fact]
    public void TheTrainingPageOpensThePreferenceTabFromItsHeaderOrTheQuery()
    {
        AddAuthorization().SetAuthorized("viewer");
        var cut = Render<TrainingPage>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=run-history]")));
        Assert.Empty(cut.FindAll("[data-testid=pref-run-history]"));
        cut.FindAll(".mud-tab").Single(t => t.TextContent.Contains("Preference")).Click();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=pref-run-history] tbody tr").Count));

        Services.GetRequiredService<NavigationManager>().NavigateTo("/training?tab=preference");
        var linked = Render<TrainingPage>();
        linked.WaitForAssertion(() => Assert.NotEmpty(linked.FindAll("[data-testid=pref-run-history]")));
    }

    private static string Normalize(string s) => new(s.Where(c => !char.IsWhiteSpace(c)).ToArray());
}
