using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using ViralityDashboard.Components.Charts;
using ViralityDashboard.Data.Queries;

namespace ViralityDashboard.Tests.Components.Charts;

public sealed class MetricsOverVersionsChartTests : DashboardTestContext
{
    [Fact]
    public void PlotsAccuracyMacroF1AndKappaOldestFirst()
    {
        var cut = Render<MetricsOverVersionsChart>(p => p.Add(c => c.Versions, new FakeTraining().Versions));

        var traces = cut.FindComponent<PlotlyChart>().Instance.Data.OfType<Scatter>().ToList();
        Assert.Equal(["accuracy", "macro-F1", "kappa"], traces.Select(t => t.Name));
        Assert.Equal(["eng-20261120-030000-r1", "eng-20261121-030000-r2", "eng-20261122-030000-r3"], traces[0].X.Cast<string>());
        Assert.Equal([0.68, 0.71, 0.58], traces[0].Y.Cast<double>());
    }

    [Fact]
    public void SaysSoWhenThereAreNoVersions()
    {
        var cut = Render<MetricsOverVersionsChart>(p => p.Add(c => c.Versions, []));

        Assert.Contains("No model versions yet", cut.Markup);
        Assert.Empty(cut.FindComponents<PlotlyChart>());
    }
}

public sealed class ConfusionMatrixHeatmapTests : DashboardTestContext
{
    [Fact]
    public void DrawsActualTiersAsRowsAndPredictedAsColumns()
    {
        var matrix = FakeTraining.Metrics(0.7).ConfusionMatrix;

        var cut = Render<ConfusionMatrixHeatmap>(p => p.Add(c => c.Matrix, matrix));

        var heat = Assert.IsType<HeatMap>(Assert.Single(cut.FindComponent<PlotlyChart>().Instance.Data));
        Assert.Equal(5, heat.Z.Count);
        Assert.Equal("tier 1", heat.Y[0]);
        Assert.Equal(960, cut.Instance.Total);
    }

    [Fact]
    public async Task PrerendersAPlaceholderOfTheChartsHeightWithoutCallingPlotly()
    {
        // Blazor's static renderer, as a page's first render runs: no circuit, no after-render.
        var services = new ServiceCollection().AddLogging().AddSingleton<IJSRuntime, ThrowingJSRuntime>().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        var matrix = FakeTraining.Metrics(0.7).ConfusionMatrix;

        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<ConfusionMatrixHeatmap>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(ConfusionMatrixHeatmap.Matrix)] = matrix,
                [nameof(ConfusionMatrixHeatmap.Height)] = 420,
            }));
            return output.ToHtmlString();
        });

        Assert.Contains("data-testid=\"chart-placeholder\" style=\"height: 420px\"", html);
        Assert.Equal(0, ThrowingJSRuntime.Calls);
    }

    [Fact]
    public void InALiveCircuitTheChartReplacesThePlaceholder()
    {
        var cut = Render<ConfusionMatrixHeatmap>(p => p.Add(c => c.Matrix, FakeTraining.Metrics(0.7).ConfusionMatrix));

        cut.WaitForAssertion(() => Assert.Single(cut.FindComponents<PlotlyChart>()));
        Assert.Empty(cut.FindAll("[data-testid=chart-placeholder]"));
    }

    [Fact]
    public void TheChartWaitsForPlotlyJsToLoadBeforePlotlyBlazorDraws()
    {
        // Plotly.Blazor drops draws asked for while plotly.js loads once one of their charts has gone (ChartLoadingFlowTests).
        Assert.True(PlotlyScripts.Known, "Plotly.Blazor's script paths (private constants) were not found: did an upgrade rename them?");
        var loading = JSInterop.SetupModule("./Components/Charts/InteractiveChart.razor.js").SetupVoid("plotlyLoaded", PlotlyScripts.Interop, PlotlyScripts.Plotly);

        var cut = Render<ConfusionMatrixHeatmap>(p => p.Add(c => c.Matrix, FakeTraining.Metrics(0.7).ConfusionMatrix));

        Assert.Single(cut.FindAll("[data-testid=chart-placeholder]"));
        Assert.Empty(cut.FindComponents<PlotlyChart>());
        loading.SetVoidResult();
        cut.WaitForAssertion(() => Assert.Single(cut.FindComponents<PlotlyChart>()));
        Assert.Empty(cut.FindAll("[data-testid=chart-placeholder]"));
    }

    /// <summary>What prerendering's JS runtime does: every call throws.</summary>
    private sealed class ThrowingJSRuntime : IJSRuntime
    {
        public static int Calls;

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => InvokeAsync<TValue>(identifier, CancellationToken.None, args);

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args)
        {
            Interlocked.Increment(ref Calls);
            throw new InvalidOperationException("JavaScript interop calls cannot be issued while prerendering.");
        }
    }
}

public sealed class TierDistributionChartTests : DashboardTestContext
{
    [Fact]
    public void StacksTrainAndTestCountsPerTier()
    {
        var cut = Render<TierDistributionChart>(p => p.Add(c => c.Distribution, new TierDistribution([10, 20, 30, 20, 10], [8, 16, 24, 16, 8], [2, 4, 6, 4, 2])));

        var bars = cut.FindComponent<PlotlyChart>().Instance.Data.OfType<Bar>().ToList();
        Assert.Equal(["train", "test"], bars.Select(b => b.Name));
        Assert.Equal([8, 16, 24, 16, 8], bars[0].Y.Cast<int>());
    }
}

public sealed class FeatureWeightsChartTests : DashboardTestContext
{
    [Fact]
    public void ShowsOneBarSeriesPerVersionWithMeanAbsoluteWeights()
    {
        var cut = Render<FeatureWeightsChart>(p => p.Add(c => c.Series, [new NamedFeatureWeights("r1", FakeTraining.Weights(1)), new NamedFeatureWeights("r2", FakeTraining.Weights(2))]));

        var bars = cut.FindComponent<PlotlyChart>().Instance.Data.OfType<Bar>().ToList();
        Assert.Equal(["r1", "r2"], bars.Select(b => b.Name));
        Assert.Equal("log_views", bars[0].Y[0]);
        Assert.Equal(1.2, (double)bars[0].X[0], 3); // mean of |−2|, |−1|, 0, 1, 2
    }

    [Fact]
    public void ExplainsWhyTreeModelsHaveNoWeights()
    {
        var cut = Render<FeatureWeightsChart>(p => p.Add(c => c.Series, []));

        Assert.Contains("only linear (lbfgs) models", cut.Markup);
    }
}
