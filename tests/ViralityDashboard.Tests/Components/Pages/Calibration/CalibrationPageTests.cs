using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using ViralityDashboard.Components.Charts;
using ViralityDashboard.Components.Pages.Calibration;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Training;

namespace ViralityDashboard.Tests.Components.Pages.Calibration;

public sealed class CalibrationPageTests : DashboardTestContext
{
    private readonly FakeCalibration _calibration = new();

    public CalibrationPageTests()
    {
        Services.AddSingleton<ICalibrationPageQueries>(_calibration);
        Services.AddSingleton(Options.Create(new EngagementTrainingOptions()));
    }

    internal static StoredBaseline Baseline(long id, DateTimeOffset at, double scale) => new(id, new CalibrationSnapshot(at, 4_870,
        new Dictionary<string, double> { ["p20"] = 900 * scale, ["p25"] = 1_400 * scale, ["p40"] = 4_800 * scale, ["p50"] = 9_500 * scale, ["p60"] = 21_000 * scale, ["p75"] = 88_000 * scale, ["p80"] = 150_000 * scale, ["p90"] = 610_000 * scale },
        new Dictionary<string, double> { ["p20"] = 0.031, ["p25"] = 0.038, ["p40"] = 0.052, ["p50"] = 0.061, ["p60"] = 0.071, ["p75"] = 0.089, ["p80"] = 0.097, ["p90"] = 0.121 },
        WesWeights.Default));

    internal sealed class FakeCalibration : ICalibrationPageQueries
    {
        public List<StoredBaseline> Stored { get; } =
        [
            Baseline(2, DateTimeOffset.Parse("2026-11-20T03:00:00Z"), 1.1),
            Baseline(1, DateTimeOffset.Parse("2026-11-10T03:00:00Z"), 1.0),
        ];

        public Task<IReadOnlyList<StoredBaseline>> ListBaselinesAsync(int limit, CancellationToken ct = default) =>
            Task.FromResult<IReadOnlyList<StoredBaseline>>(Stored.OrderByDescending(b => b.Id).Take(limit).ToList());

        public Task<IReadOnlyList<HistogramBin>> GetViewsHistogramAsync(int bins, CancellationToken ct = default) =>
            Task.FromResult<IReadOnlyList<HistogramBin>>(Enumerable.Range(0, bins).Select(i =>
                new HistogramBin(Math.Pow(10, i * 8.0 / bins), Math.Pow(10, (i + 1) * 8.0 / bins), (long)(400 * Math.Exp(-Math.Pow(i - bins / 2.0, 2) / 40)))).ToList());

        public Task<IReadOnlyList<TierShare>> GetTierSharesAsync(StoredBaseline baseline, CancellationToken ct = default) =>
            Task.FromResult<IReadOnlyList<TierShare>>(
            [
                new("views", 1, 974), new("views", 2, 974), new("views", 3, 974), new("views", 4, 974), new("views", 5, 974),
                new("wes", 1, 1_217), new("wes", 2, 1_218), new("wes", 3, 1_217), new("wes", 4, 731), new("wes", 5, 487),
            ]);

        public Task<StoredBaseline> ComputeAndStoreAsync(WesWeights weights, CancellationToken ct = default)
        {
            var b = Baseline(Stored.Count + 1, DateTimeOffset.Parse("2026-11-24T10:00:00Z"), 1.2);
            Stored.Add(b);
            return Task.FromResult(b);
        }
    }

    [Fact]
    public void ShowsTheLatestPercentilesTheChartsAndTheHistory()
    {
        this.SignInAsViewer();

        var cut = Render<CalibrationPage>();

        cut.WaitForAssertion(() => Assert.Equal("990", cut.Find("[data-testid=views-p20]").TextContent));
        Assert.Contains("Latest baseline #2", cut.Markup);
        Assert.Equal(2, cut.FindAll("[data-testid=baseline-history] tbody tr").Count);
        Assert.Single(cut.FindComponents<ViewsDistributionChart>());
        Assert.Single(cut.FindComponents<TierShareChart>());
        Assert.Single(cut.FindComponents<ThresholdHistoryChart>());
        Assert.Empty(cut.FindAll("[data-testid=compute-baseline]")); // a viewer cannot compute
    }

    [Fact]
    public void TheOwnerComputesANewBaselineAndSeesItAsTheLatest()
    {
        this.SignInAsOwner();
        var cut = Render<CalibrationPage>();
        cut.WaitForElement("[data-testid=views-p20]");

        cut.Find("[data-testid=compute-baseline]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Latest baseline #3", cut.Markup));
        Assert.Equal("1,080", cut.Find("[data-testid=views-p20]").TextContent);
        Assert.Contains(Services.GetRequiredService<ISnackbar>().ShownSnackbars, s => s.Message?.Contains("Baseline 3 stored") == true);
    }

    [Fact]
    public void WithoutABaselineItSaysSo()
    {
        this.SignInAsViewer();
        _calibration.Stored.Clear();

        var cut = Render<CalibrationPage>();

        cut.WaitForAssertion(() => Assert.Contains("No baseline stored yet", cut.Markup));
        Assert.Contains("No baselines stored yet", cut.Markup);
    }
}
