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
await using var database = await builder.StartDatabaseOrExitAsync();
if (database.Failed)
    return 2;

builder.AddServiceDefaults();
builder.AddDataServices();
builder.AddTrainingServices();
builder.AddDemoServices();
builder.AddWebServices();

var app = builder.Build();
await app.PrepareDatabaseAsync();
app.UseWebPipeline();
app.MapDefaultEndpoints();
await app.RunAsync();
return 0;

/// <summary>Visible to the test project's WebApplicationFactory.</summary>
public partial class Program;
