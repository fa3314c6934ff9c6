using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ViralityDashboard.Tests;

/// <summary>The ServiceDefaults on a small web app of their own, in this process, so in-memory exporters see what they produce.</summary>
public sealed class ServiceDefaultsTests
{
    private static async Task<WebApplication> StartAsync(Action<WebApplicationBuilder> configure, Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        configure(builder);
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/ping", () => "pong");
        map?.Invoke(app);
        await app.StartAsync();
        return app;
    }

    private static HttpClient Client(WebApplication app) => new() { BaseAddress = new Uri(app.Urls.First()) };

    [Fact]
    public async Task ARequestIsAnAspNetCoreSpanAndMeasurementWhileHealthProbesAreNotTraced()
    {
        var spans = new List<Activity>();
        var metrics = new List<MetricSnapshot>();
        await using var app = await StartAsync(b =>
        {
            b.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans));
            b.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics));
        });
        using (var http = Client(app))
        {
            Assert.Equal("pong", await http.GetStringAsync("/ping"));
            Assert.Equal("Healthy", await http.GetStringAsync("/alive"));
        }
        await app.StopAsync(); // the request spans end once their responses are complete
        app.Services.GetRequiredService<MeterProvider>().ForceFlush();

        var server = spans.Where(s => s.Source.Name == "Microsoft.AspNetCore").ToList();
        Assert.Single(server, s => (string?)s.GetTagItem("http.route") == "/ping");
        Assert.DoesNotContain(server, s => (string?)s.GetTagItem("url.path") == "/alive");
        var requests = metrics.Where(m => m.Name == "http.server.request.duration").SelectMany(m => m.MetricPoints);
        Assert.Contains(requests, p => Tag(p, "http.route") == "/ping" && p.GetHistogramCount() == 1);
    }

    [Fact]
    public async Task AliveAnswersWhileAReadinessCheckFailsAndHealthDoesNot()
    {
        await using var app = await StartAsync(b => b.Services.AddHealthChecks().AddCheck("database", () => HealthCheckResult.Unhealthy("down")));
        using var http = Client(app);

        var alive = await http.GetAsync("/alive");
        var health = await http.GetAsync("/health");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable), (alive.StatusCode, health.StatusCode));
    }

    [Fact]
    public async Task ExportsTracesMetricsAndLogsOverOtlpWhenTheEndpointIsSet()
    {
        var received = new ConcurrentBag<string>();
        await using var collector = await StartCollectorAsync(received);
        var app = await StartAsync(b =>
        {
            b.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Urls.First();
            b.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        });
        using (var http = Client(app))
            await http.GetStringAsync("/ping");

        await app.DisposeAsync(); // the providers export what is left as they are disposed

        Assert.Superset(new HashSet<string> { "traces", "metrics", "logs" }, received.ToHashSet());
    }

    /// <summary>A stand-in OTLP/HTTP collector: records which signal each export was.</summary>
    private static async Task<WebApplication> StartCollectorAsync(ConcurrentBag<string> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var collector = builder.Build();
        collector.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            await request.Body.CopyToAsync(Stream.Null);
            received.Add(signal);
            return Results.Ok();
        });
        await collector.StartAsync();
        return collector;
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
            if (tag.Key == key)
                return tag.Value?.ToString();
        return null;
    }
}
