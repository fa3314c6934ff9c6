using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using ViralityDashboard.Data.Import;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Data.Telemetry;

namespace ViralityDashboard.Data;

public static class DependencyInjection
{
    /// <summary>Registers the DbContext factory and the data services. Call after <see cref="DatabaseStartup.StartDatabaseAsync"/>.</summary>
    public static IHostApplicationBuilder AddDataServices(this IHostApplicationBuilder builder)
    {
        if (!builder.Services.Any(s => s.ServiceType == typeof(NpgsqlDataSource)))
            throw new InvalidOperationException("No database: call StartDatabaseAsync (or AddDatabase) before AddDataServices.");
        builder.Services.AddOptions<DataOptions>().BindConfiguration(DataOptions.Section).ValidateOnStart();
        // A factory, not a scoped context: Blazor circuits and jobs outlive a unit of work.
        builder.Services.AddPooledDbContextFactory<ViralityDbContext>((sp, o) => ViralityDbContext.Configure(o, sp.GetRequiredService<NpgsqlDataSource>()));
        // Identity's stores want a scoped context; it comes from the same pool.
        builder.Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<ViralityDbContext>>().CreateDbContext());
        builder.Services.AddSingleton(TimeProvider.System);
        // The app's one meter (import, training and prediction figures); nothing is measured until something listens.
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<ViralityMetrics>();
        builder.Services.AddOptions<ImportQueueOptions>().BindConfiguration(ImportQueueOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ImportQueueOptions>, ImportQueueOptionsValidator>();
        builder.Services.AddSingleton<VideoImporter>();
        builder.Services.AddSingleton<IStatsQueries, StatsQueries>();
        builder.Services.AddSingleton<CalibrationQueries>();
        builder.Services.AddSingleton<IRatingQueries, RatingQueries>();
        builder.Services.AddSingleton<IVideoTableQueries, VideoTableQueries>();
        builder.Services.AddSingleton<ICalibrationPageQueries, CalibrationPageQueries>();
        builder.Services.AddSingleton<IVideoImportCommands, VideoImportCommands>();
        builder.Services.AddSingleton<TrainingDataQueries>();
        builder.Services.AddSingleton<PreferenceDataQueries>();
        builder.Services.AddSingleton<ITrainingQueries, TrainingQueries>();
        builder.Services.AddSingleton<ModelRegistryStore>();
        builder.Services.AddSingleton<DatabaseInstallation>();
        return builder;
    }
}

internal sealed class ImportQueueOptionsValidator : IValidateOptions<ImportQueueOptions>
{
    public ValidateOptionsResult Validate(string? name, ImportQueueOptions options)
    {
        var errors = ImportQueueOptions.Validate(options).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
