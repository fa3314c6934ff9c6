using ViralityDashboard;
using ViralityDashboard.Cli;
using ViralityDashboard.Data;
using ViralityDashboard.DemoAndBenchmarks;
using ViralityDashboard.Training;

// One executable: a verb runs the command line, anything else starts the dashboard.
if (CommandLineApp.IsCommand(args))
    return await CommandLineApp.RunAsync(args);

// Settings (appsettings.json) are found next to the executable, whatever directory it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddDataDirArgument(args);
// A stop before the host runs cancels the startup, which then stops what it started (the embedded cluster).
using var startup = new StartupStop();
try
{
    await using var database = await builder.StartDatabaseOrExitAsync(startup.Token);
    if (database.Failed)
        return 2;

    builder.AddServiceDefaults();
    builder.AddDataServices();
    builder.AddTrainingServices();
    builder.AddDemoServices();
    builder.AddWebServices();

    var app = builder.Build();
    await app.PrepareDatabaseAsync(startup.Token);
    app.UseWebPipeline();
    app.MapDefaultEndpoints();
    app.Lifetime.ApplicationStarted.Register(startup.HandOver);
    await app.RunAsync(startup.Token);
    return 0;
}
catch (OperationCanceledException) when (startup.Token.IsCancellationRequested)
{
    // The lease was disposed on the way out of the block above: the cluster this start launched is stopped.
    return 0;
}

/// <summary>Visible to the test project's WebApplicationFactory.</summary>
public partial class Program;
