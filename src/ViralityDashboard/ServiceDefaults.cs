using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Quartz.Diagnostics;
using ViralityDashboard.Data.Telemetry;

namespace ViralityDashboard;

/// <summary>
/// Telemetry and health endpoints, in the shape of eShop's ServiceDefaults: OpenTelemetry traces and metrics for
/// ASP.NET Core, outgoing HTTP, Npgsql, Quartz and the app's own sources and meter, exported over OTLP only when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; <c>/health</c> (readiness) and <c>/alive</c> (liveness).
/// </summary>
public static class ServiceDefaults
{
    /// <summary>Health checks with this tag are the liveness checks; every check counts for readiness.</summary>
    public const string LiveTag = "live";

    public const string HealthPath = "/health";
    public const string AlivePath = "/alive";

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.AddDefaultHealthChecks();
        builder.ConfigureOpenTelemetry();
        return builder;
    }

    public static IHostApplicationBuilder ConfigureOpenTelemetry(this IHostApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry();
        // OTEL_SERVICE_NAME (and OTEL_RESOURCE_ATTRIBUTES) win when set; otherwise a name better than "unknown_service".
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
            telemetry.ConfigureResource(r => r.AddService("virality-dashboard"));
        telemetry
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(QuartzInstrumentation.MeterName)
                .AddMeter(ViralityTelemetry.MeterName))
            .WithTracing(tracing =>
            {
                if (builder.Environment.IsDevelopment())
                    tracing.SetSampler(new AlwaysOnSampler());
                tracing
                    // Probes come every few seconds and say nothing a trace would add.
                    .AddAspNetCoreInstrumentation(o => o.Filter = c => !IsProbe(c.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddSource(QuartzInstrumentation.ActivitySourceName)
                    .AddSource([.. ViralityTelemetry.SourceNames]);
            });
        builder.AddOpenTelemetryExporters();
        return builder;
    }

    /// <summary>
    /// OTLP for all three signals when an endpoint is configured (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, and the
    /// exporter's other <c>OTEL_*</c> variables); without one nothing leaves the process and logs are not collected.
    /// </summary>
    private static void AddOpenTelemetryExporters(this IHostApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            return;
        builder.Services.AddOpenTelemetry()
            .WithLogging(configureBuilder: null, configureOptions: o =>
            {
                o.IncludeFormattedMessage = true;
                o.IncludeScopes = true;
            })
            .UseOtlpExporter();
    }

    /// <summary>
    /// The verbs' host: telemetry only when there is somewhere to export it (an import or a training run from the
    /// command line is worth a trace). That host is never started, so <see cref="StartTelemetry"/> builds the providers.
    /// </summary>
    public static IHostApplicationBuilder AddCommandLineTelemetry(this IHostApplicationBuilder builder)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            builder.ConfigureOpenTelemetry();
        return builder;
    }

    /// <summary>Builds the tracer and meter providers if registered (a started host's hosted service would); they export until disposed with the host.</summary>
    public static void StartTelemetry(this IServiceProvider services)
    {
        services.GetService<TracerProvider>();
        services.GetService<MeterProvider>();
    }

    public static IHostApplicationBuilder AddDefaultHealthChecks(this IHostApplicationBuilder builder)
    {
        // Liveness asks only whether the process answers: a database outage must not get a healthy app restarted.
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>Both anonymous; neither is under /api, so the API's rate limit does not apply.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthPath).AllowAnonymous();
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(LiveTag) }).AllowAnonymous();
        return app;
    }

    private static bool IsProbe(PathString path) => path.StartsWithSegments(HealthPath) || path.StartsWithSegments(AlivePath);
}
