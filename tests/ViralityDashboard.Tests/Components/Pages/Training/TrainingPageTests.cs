using ViralityDashboard.Core.Ml;
using Bunit;
using ViralityDashboard.Account;
using ViralityDashboard.Components.Charts;
using ViralityDashboard.Components.Pages.Training;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Training.Scheduling;

namespace ViralityDashboard.Tests.Components.Pages.Training;

public sealed class TrainingPageTests : DashboardTestContext
{
    private readonly FakeTraining _training = new();

    public TrainingPageTests() => _training.Register(Services);

    [Fact]
    public void ALongRunHistoryShowsTenRunsAPageNewestFirst()
    {
        AddAuthorization().SetAuthorized("viewer");
        _training.Runs.InsertRange(0, Enumerable.Range(4, 20).Reverse().Select(id =>
            new TrainingRunRow(id, RunTrigger.Manual, RunStatus.Completed, FakeTraining.T0.AddDays(id), FakeTraining.T0.AddDays(id).AddSeconds(9), 4800,
                GateVerdict.Accepted, [], 0.7, 0.68, $"eng-r{id}", null)));

        var cut = Render<TrainingPage>();

        cut.WaitForAssertion(() => Assert.Equal(10, cut.FindAll("[data-testid=run-history] tbody tr").Count));
        Assert.Equal("23", cut.Find("[data-testid=run-history] tbody tr td").TextContent);
        Assert.Contains("1-10 of 22", cut.Find("[data-testid=run-history-pager]").TextContent);
        Assert.True(cut.Find("[aria-label='Previous page']").HasAttribute("disabled"));

        cut.Find("[aria-label='Next page']").Click();
        cut.Find("[aria-label='Next page']").Click();

        Assert.Contains("21-22 of 22", cut.Find("[data-testid=run-history-pager]").TextContent);
        Assert.Equal(["3", "2"], cut.FindAll("[data-testid=run-history] tbody tr").Select(r => r.Children[0].TextContent));
        Assert.True(cut.Find("[aria-label='Next page']").HasAttribute("disabled"));
    }

    [Fact]
    public void AQueuedRunShowsAboveTheHistoryAndMovesToRunningWithoutAReload()
    {
        AddAuthorization().SetAuthorized("viewer");
        var request = Guid.NewGuid();
        _training.Queued.Add(new QueuedRun(request, RunTrigger.Drift, "auto", "seed15", "drift-trigger", FakeTraining.T0.AddDays(3)));

        var cut = Render<TrainingPage>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=queued-run]")));
        var queued = cut.Find("[data-testid=queued-run]");
        Assert.Equal("queued-run", cut.FindAll("[data-testid=run-history] tbody tr")[0].GetAttribute("data-testid"));
        Assert.Equal("queued", queued.QuerySelector("[data-testid=status]")!.TextContent);
        Assert.Contains("drift", queued.TextContent);
        Assert.Contains("asked by drift-trigger", queued.TextContent);

        // Another node starts it: the page's next re-read shows it running, with no reload and no click.
        _training.Runs.Insert(0, new TrainingRunRow(4, RunTrigger.Drift, RunStatus.Running, FakeTraining.T0.AddDays(3), null, 0, null, [], null, null, null, null));
        _training.Queued.Clear();

        cut.WaitForAssertion(() =>
        {
            Assert.Empty(cut.FindAll("[data-testid=queued-run]"));
            var first = cut.FindAll("[data-testid=run-history] tbody tr")[0];
            Assert.Equal(("4", "running"), (first.Children[0].TextContent, first.QuerySelector("[data-testid=status]")!.TextContent));
        }, EngagementTraining.RefreshEvery * 3);
    }

    [Fact]
    public void ClickingARunShowsItsDetailAndMarksItsRow()
    {
        AddAuthorization().SetAuthorized("viewer");
        var cut = Render<TrainingPage>();
        cut.WaitForAssertion(() => Assert.Contains("Run #3", cut.Find("[data-testid=run-detail]").TextContent));

        cut.FindAll("[data-testid=run-history] tbody tr")[1].Click();

        cut.WaitForAssertion(() => Assert.Contains("Run #2", cut.Find("[data-testid=run-detail]").TextContent));
        Assert.Equal([false, true], cut.FindAll("[data-testid=run-history] tbody tr").Select(r => r.ClassList.Contains("mud-selected-item")));
    }

    [Fact]
    public void ShowsRunHistoryAndTheLatestRunsDetail()
    {
        AddAuthorization().SetAuthorized("viewer");

        var cut = Render<TrainingPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=run-history] tbody tr").Count));
        Assert.Contains("skipped by gate", cut.Markup);
        Assert.Equal(["auto → lightgbm", "—"], cut.FindAll("[data-testid=run-trainer]").Select(c => c.TextContent));
        Assert.Equal(["seed15", "—"], cut.FindAll("[data-testid=run-features]").Select(c => c.TextContent));
        Assert.Contains("14.0 s", cut.Markup);
        var detail = cut.Find("[data-testid=run-detail]");
        Assert.Contains("Test accuracy 58.0% is below the gate", detail.TextContent);
        Assert.Contains("auto → lightgbm · seed15", detail.TextContent);
        var candidates = cut.FindAll("[data-testid=auto-candidates] tbody tr");
        Assert.Equal(["lbfgs", "lightgbm", "forest"], candidates.Select(r => r.Children[1].TextContent));
        Assert.Equal("kept", candidates[1].Children[6].TextContent);
        Assert.Contains("numLeaves 15", candidates[1].TextContent);
        Assert.Equal("0.601", candidates[1].Children[3].TextContent);
        Assert.Equal(5, cut.FindAll("[data-testid=per-class] tbody tr").Count);
        Assert.Contains("5-fold cross-validation", cut.Find("[data-testid=cv]").TextContent);
        Assert.Contains("like_rate", cut.Find("[data-testid=leakage]").TextContent);
        Assert.Contains("cross-validate", cut.Find("[data-testid=timings]").TextContent);
        Assert.Equal(960, cut.FindComponent<ConfusionMatrixHeatmap>().Instance.Total);
        Assert.Contains("0 0 3 * * ?", cut.Find("[data-testid=schedule]").TextContent);
    }

    [Fact]
    public void OwnerLaunchesARetrainAndSeesItFinish()
    {
        AddAuthorization().SetAuthorized("owner").SetPolicies(Policies.Owner);
        var cut = Render<TrainingPage>();

        cut.Find("[data-testid=launch]").Click();

        var request = Assert.Single(_training.Launched);
        // No split chosen: the run's own default (time for point-in-time rows).
        Assert.Equal(("seed15", "views", "auto", (string?)null, "owner"), (request.FeatureSet?.Name, request.TierScheme?.Name, request.Trainer?.Wire(), request.Split?.Wire(), request.RequestedBy));
        cut.WaitForAssertion(() => Assert.Contains("queued", cut.Find("[data-testid=progress]").OuterHtml));
        _training.LaunchedRun = _training.Runs[1] with { Id = 4, Status = RunStatus.Running, FinishedAt = null, VideoCount = 4_970, Steps = [new("count-histories", 30), new("percentiles-sql", 240), new("read-and-features", 907), new("read-histories", 120)] };
        cut.WaitForAssertion(() => Assert.Contains("running", cut.Find("[data-testid=progress]").TextContent), TimeSpan.FromSeconds(5));
        Assert.Equal("· step load-active · 4,970 rows", cut.Find("[data-testid=current-step]").TextContent.Trim());
        Assert.Contains("percentiles-sql 0.2 s", cut.Find("[data-testid=finished-steps]").TextContent);
        _training.LaunchedRun = _training.LaunchedRun with { Steps = [.. _training.LaunchedRun.Steps!, new("load-active", 3), new("split", 10)] };
        cut.WaitForAssertion(() => Assert.Contains("step fit", cut.Find("[data-testid=current-step]").TextContent), TimeSpan.FromSeconds(5));
        _training.LaunchedRun = _training.Runs[1] with { Id = 4 };
        cut.WaitForAssertion(() => Assert.Contains("run #4", cut.Find("[data-testid=progress]").TextContent), TimeSpan.FromSeconds(5));
        Assert.Contains("completed", cut.Find("[data-testid=progress]").TextContent);
    }

    [Theory]
    [InlineData(null, "Virality:Training:Rows", null)]
    [InlineData("point-in-time", "first seen", TrainingRowsMode.PointInTime)]
    [InlineData("latest", "latest counts", TrainingRowsMode.Latest)]
    public async Task TheLaunchFormSendsTheChosenRowsModeAndLeavesTheDefaultToConfiguration(string? choice, string hint, TrainingRowsMode? sent)
    {
        AddAuthorization().SetAuthorized("owner").SetPolicies(Policies.Owner);
        var cut = Render<LaunchPanel>();
        var rows = cut.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "Rows").Instance;

        if (choice is not null)
            await cut.InvokeAsync(() => rows.SelectOption(choice));
        cut.WaitForAssertion(() => Assert.Contains(hint, cut.Find("[data-testid=rows-hint]").TextContent));
        cut.Find("[data-testid=launch]").Click();

        Assert.Equal(sent, Assert.Single(_training.Launched).Rows);
    }

    [Fact]
    public void TheDriftPanelShowsTheVersionALaunchedRunActivatedWithoutAReload()
    {
        var drift = new FakeChallengers();
        drift.Register(Services);
        AddAuthorization().SetAuthorized("owner").SetPolicies(Policies.Owner);
        var cut = Render<TrainingPage>();
        cut.WaitForAssertion(() => Assert.Contains("No active engagement version", cut.Find("[data-testid=drift-summary]").TextContent));

        cut.Find("[data-testid=launch]").Click();
        drift.Drift = new ViralityDashboard.Training.Monitoring.DriftEvaluation(false, "eng-r4: 0 of 200 matured predictions so far.",
            [new("eng-r4", "seed15", 0, 0, null, 0.71, null, false, "too few")], null, null, null);
        _training.LaunchedRun = _training.Runs[1] with { Id = 4, VersionTag = "eng-r4" };

        cut.WaitForAssertion(() => Assert.Contains("run #4", cut.Find("[data-testid=progress]").TextContent), TimeSpan.FromSeconds(5));
        cut.WaitForAssertion(() => Assert.Contains("eng-r4", cut.Find("[data-testid=drift-figures]").TextContent), TimeSpan.FromSeconds(5));
        Assert.DoesNotContain("No active engagement version", cut.Find("[data-testid=drift-summary]").TextContent);
    }

    [Fact]
    public void OwnerSeesCronValidationAndPreviewAndSavesTheSchedule()
    {
        AddAuthorization().SetAuthorized("owner").SetPolicies(Policies.Owner);
        var cut = Render<TrainingPage>();

        cut.Find("input[data-testid=cron], [data-testid=cron] input").Input("0 0 61 * * ?");
        cut.WaitForAssertion(() => Assert.Contains("mud-input-error", cut.Find("[data-testid=cron]").OuterHtml + cut.Markup));
        Assert.Empty(cut.FindAll("[data-testid=cron-preview]"));

        cut.Find("input[data-testid=cron], [data-testid=cron] input").Input("0 30 4 ? * MON");
        cut.WaitForAssertion(() => Assert.Contains("04:30:00 UTC", cut.Find("[data-testid=cron-preview]").TextContent));
        cut.Find("[data-testid=save-schedule]").Click();

        Assert.Equal(["0 30 4 ? * MON"], _training.Rescheduled);
    }

    [Fact]
    public async Task OwnerChoosesTheScheduledRunsTrainerFeaturesTiersAndRows()
    {
        AddAuthorization().SetAuthorized("owner").SetPolicies(Policies.Owner);
        var cut = Render<TrainingPage>();
        MudSelect<string> Select(string label) => cut.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == label).Instance;
        Assert.Contains("trains auto (configured default)", cut.Find("[data-testid=schedule]").TextContent);

        await cut.InvokeAsync(() => Select("Scheduled trainer").SelectOption("lightgbm"));
        await cut.InvokeAsync(() => Select("Scheduled features").SelectOption("pre-posting"));
        await cut.InvokeAsync(() => Select("Scheduled tiers").SelectOption("wes"));
        await cut.InvokeAsync(() => Select("Scheduled rows").SelectOption("point-in-time"));
        cut.Find("[data-testid=save-schedule]").Click();

        Assert.Equal(new ScheduleChoices(TrainerKind.LightGbm, FeatureSet.PrePosting, TierScheme.Wes, TrainingRowsMode.PointInTime), _training.Schedule.Choices);
        Assert.Equal(TrainingRowsMode.PointInTime, _training.Schedule.Choices.ToRequest().Rows);
        Assert.Equal(["0 0 3 * * ?"], _training.Rescheduled);
        cut.WaitForAssertion(() => Assert.Contains("trains lightgbm, pre-posting, tiers wes, rows point-in-time", cut.Find("[data-testid=schedule]").TextContent));
    }

    [Fact]
    public void TheEditorStartsFromTheStoredChoices()
    {
        _training.Schedule = _training.Schedule with { Choices = new(TrainerKind.FastForest, FeatureSet.Seed15NoLeak, null) };
        AddAuthorization().SetAuthorized("owner").SetPolicies(Policies.Owner);

        var cut = Render<TrainingPage>();

        Assert.Contains("trains forest, seed15-noleak, tiers views (configured default), rows auto (configured default)", cut.Find("[data-testid=schedule]").TextContent);
        // Nothing to save: the selects hold the stored choices (had they started at the defaults, they would differ).
        Assert.True(cut.Find("[data-testid=save-schedule]").HasAttribute("disabled"));
    }

    [Fact]
    public void TheScheduleLineNamesTheConfiguredDefaultsInForce()
    {
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(
            new ViralityDashboard.Training.Engagement.EngagementTrainingOptions { Trainer = "lightgbm", FeatureSet = "pre-posting", TierScheme = "wes" }));
        AddAuthorization().SetAuthorized("viewer");

        var cut = Render<TrainingPage>();

        Assert.Contains("trains lightgbm (configured default), pre-posting (configured default), tiers wes (configured default)",
            cut.Find("[data-testid=schedule]").TextContent);
    }

    [Fact]
    public void ViewerSeesNoLaunchOrScheduleControls()
    {
        AddAuthorization().SetAuthorized("viewer");

        var cut = Render<TrainingPage>();

        cut.WaitForAssertion(() => Assert.Contains("Only the owner can launch retrains", cut.Markup));
        Assert.Empty(cut.FindAll("[data-testid=launch]"));
        Assert.Empty(cut.FindAll("[data-testid=save-schedule]"));
    }

    [Fact]
    public async Task GuardRefusesAViewerWhoReachesTheLaunchButtonAnyway()
    {
        AddAuthorization().SetAuthorized("viewer");
        var panel = Render<LaunchPanel>();

        panel.Find("[data-testid=launch]").Click();

        Assert.Empty(_training.Launched);
        await Assert.ThrowsAsync<NotOwnerException>(() => Services.GetRequiredService<OwnerGuard>().EnsureOwnerAsync("launch a retrain"));
    }
}
