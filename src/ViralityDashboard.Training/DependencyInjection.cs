using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Data.Telemetry;
using ViralityDashboard.Training.Runs;
using ViralityDashboard.Training.Engagement;
using ViralityDashboard.Training.Monitoring;
using ViralityDashboard.Training.Preference;
using ViralityDashboard.Training.Registry;
using ViralityDashboard.Training.Scheduling;

namespace ViralityDashboard.Training;

public static class DependencyInjection
{
    /// <summary>
    /// Training orchestration, the model registry, prediction and the Quartz retrain job on a clustered
    /// ADO store in the app's PostgreSQL database. Call after <c>AddDataServices</c>. The hosted service
    /// starts the scheduler only when the host runs (the web app); CLI verbs start it themselves when needed.
    /// </summary>
    public static IHostApplicationBuilder AddTrainingServices(this IHostApplicationBuilder builder)
    {
        if (!builder.Services.Any(s => s.ServiceType == typeof(NpgsqlDataSource)))
            throw new InvalidOperationException("No database: call StartDatabaseAsync (or AddDatabase) before AddTrainingServices.");
        builder.Services.AddOptions<EngagementTrainingOptions>().BindConfiguration(EngagementTrainingOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EngagementTrainingOptions>, EngagementTrainingOptionsValidator>();
        builder.Services.AddOptions<TrainingThreadsOptions>().BindConfiguration(TrainingThreadsOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TrainingThreadsOptions>, TrainingThreadsOptionsValidator>();
        builder.Services.AddSingleton<TrainingThreads>();
        builder.Services.AddSingleton<TrainingLifecycle>();
        builder.Services.AddSingleton<StaleRunSweeper>();
        builder.Services.AddSingleton<ActiveModelCache>();
        builder.Services.AddSingleton<ModelRegistry>();
        builder.Services.AddSingleton<PredictionService>();
        builder.Services.AddSingleton<EngagementTrainingService>();
        builder.Services.AddSingleton<RowsComparison>();
        builder.Services.AddSingleton<TrainingLauncher>();
        builder.Services.AddSingleton<IRetrainSchedule, RetrainSchedule>();

        builder.Services.AddOptions<PreferenceOptions>().BindConfiguration(PreferenceOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PreferenceOptions>, PreferenceOptionsValidator>();
        builder.Services.AddSingleton<PreferenceModelCache>();
        builder.Services.AddSingleton<PreferenceTrainingService>();
        builder.Services.AddSingleton<PreferencePredictionService>();
        builder.Services.AddSingleton<PreferenceQueries>();
        builder.Services.AddSingleton<RatingQueueRanker>();
        builder.Services.AddSingleton<IRatingQueueRanker>(sp => sp.GetRequiredService<RatingQueueRanker>());
        builder.Services.AddSingleton<RetrainTriggerService>();
        builder.Services.AddSingleton(sp =>
        {
            // Its queue is a metric; the gauge reads the one instance of this host.
            var log = ActivatorUtilities.CreateInstance<PredictionLog>(sp);
            foreach (var kind in Enum.GetValues<ModelKind>())
                sp.GetRequiredService<ViralityMetrics>().ObservePredictionLog(kind.Wire(), () => log.PendingOf(kind), () => log.DroppedOf(kind));
            return log;
        });
        builder.Services.AddHostedService<PredictionLogWriter>();

        // What pages and the API inject: the same singletons, seen through the small interfaces they use.
        builder.Services.AddSingleton<ITrainingLauncher>(sp => sp.GetRequiredService<TrainingLauncher>());
        builder.Services.AddSingleton<IModelActivation>(sp => sp.GetRequiredService<ModelRegistry>());
        builder.Services.AddSingleton<IEngagementPredictor>(sp => sp.GetRequiredService<PredictionService>());
        builder.Services.AddSingleton<IPreferencePredictor>(sp => sp.GetRequiredService<PreferencePredictionService>());
        builder.Services.AddSingleton<IPreferenceQueries>(sp => sp.GetRequiredService<PreferenceQueries>());
        builder.Services.AddSingleton<IAnalyzedVideos>(sp => sp.GetRequiredService<PreferenceQueries>());
        builder.Services.AddSingleton<IRetrainTriggerCheck>(sp => sp.GetRequiredService<RetrainTriggerService>());

        builder.AddQuartz(q =>
        {
            q.ConfigureScheduler(s => s.InstanceName = TrainingSchedule.SchedulerName);
            q.UsePersistentStore(store =>
            {
                // Connections come from the app's one NpgsqlDataSource (registered as DbDataSource by AddDatabase).
                store.UsePostgres(o => o.UseRegisteredDataSource = true);
                // Two processes (web app, a CLI launch) share the store: clustering makes them take turns
                // with database row locks, so one firing runs in exactly one of them.
                store.UseClustering();
                // The tables come from our EF migration; Quartz only checks them.
                store.ConfigureStore(s =>
                {
                    s.TablePrefix = TrainingSchedule.TablePrefix;
                    s.SchemaProvisioning = SchemaProvisioning.Validate;
                });
            });
            q.AddJob<RetrainJob>(j => j.WithIdentity(TrainingSchedule.JobKey).StoreDurably().RequestRecovery().WithDescription("Retrain the engagement-tier model"));
            // Its cron trigger is written by DataTriggerSchedule, not AddTrigger (see there).
            q.AddJob<DataTriggerJob>(j => j.WithIdentity(TrainingSchedule.DataTriggerJobKey).StoreDurably().WithDescription("Check the preference model's data-driven retrain triggers"));
            // Its cron trigger is written by DriftTriggerSchedule.
            q.AddJob<DriftTriggerJob>(j => j.WithIdentity(DriftTriggerJob.Key).StoreDurably().WithDescription("Check the engagement model's performance-drift trigger"));
            q.AddJob<ScoringJob>(j => j.WithIdentity(MonitoringSchedule.ScoringJobKey).StoreDurably().WithDescription("Score newly seen videos with the active and shadow engagement versions"));
            q.AddJob<MaturingJob>(j => j.WithIdentity(MonitoringSchedule.MaturingJobKey).StoreDurably().WithDescription("Give mature videos' predictions their outcome; update realized metrics"));
            q.AddJob<RetentionJob>(j => j.WithIdentity(MonitoringSchedule.RetentionJobKey).StoreDurably().WithDescription("Delete the prediction log's expired rows"));
        });
        // Not q.AddTrigger: Quartz would overwrite the stored trigger with the configured cron at every start,
        // losing a schedule the owner set on the Training page.
        builder.Services.AddHostedService<RetrainScheduleSeeder>();
        // Before the scheduler starts: a run a crash left "running" is settled before anything new runs.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StaleRunSweeper>());
        builder.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        builder.Services.AddHostedService<DataTriggerSchedule>();
        builder.Services.AddSingleton<IMonitoringQueries, MonitoringQueries>();

        // Monitoring: challengers (shadow, champion vs challenger) and the performance-drift trigger (issue 12 §5, §6).
        builder.Services.AddOptions<DriftTriggerOptions>().BindConfiguration(DriftTriggerOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DriftTriggerOptions>, DriftTriggerOptionsValidator>();
        builder.Services.AddSingleton<DriftTrigger>();
        builder.Services.AddSingleton<IDriftTriggerCheck>(sp => sp.GetRequiredService<DriftTrigger>());
        builder.Services.AddSingleton<ChallengerComparison>();
        builder.Services.AddSingleton<IChallengerComparison>(sp => sp.GetRequiredService<ChallengerComparison>());
        builder.Services.AddSingleton<IModelShadowing>(sp => sp.GetRequiredService<ModelRegistry>());
        builder.Services.AddHostedService<DriftTriggerSchedule>();

        // Monitoring's write path (issue 12): the log above, the scoring and maturing passes and their jobs, the backtest.
        builder.Services.AddOptions<MonitoringOptions>().BindConfiguration(MonitoringOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MonitoringOptions>, MonitoringOptionsValidator>();
        builder.Services.AddSingleton<IScoringPass, ScoringPass>();
        builder.Services.AddSingleton<IMaturingPass, MaturingPass>();
        builder.Services.AddOptions<PredictionLogRetentionOptions>().BindConfiguration(PredictionLogRetentionOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PredictionLogRetentionOptions>, PredictionLogRetentionOptionsValidator>();
        builder.Services.AddSingleton<PredictionLogPartitions>();
        builder.Services.AddSingleton<IRetentionPass, RetentionPass>();
        builder.Services.AddSingleton<BacktestService>();
        builder.Services.AddSingleton<IScoringTrigger, ScoringTrigger>();
        // The import page's commands, followed by the scoring job (the CLI verb and the API fire it themselves).
        builder.Services.AddSingleton<IVideoImportCommands>(sp =>
            new ScoringAfterImport(ActivatorUtilities.CreateInstance<VideoImportCommands>(sp), sp.GetRequiredService<IScoringTrigger>()));
        builder.Services.AddHostedService<MonitoringScheduleSeeder>();
        return builder;
    }
}

internal sealed class EngagementTrainingOptionsValidator : IValidateOptions<EngagementTrainingOptions>
{
    public ValidateOptionsResult Validate(string? name, EngagementTrainingOptions options)
    {
        var errors = EngagementTrainingOptions.Validate(options).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => $"{EngagementTrainingOptions.Section}: {e}"));
    }
}

internal sealed class TrainingThreadsOptionsValidator : IValidateOptions<TrainingThreadsOptions>
{
    public ValidateOptionsResult Validate(string? name, TrainingThreadsOptions options)
    {
        var errors = TrainingThreadsOptions.Validate(options).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => $"{TrainingThreadsOptions.Section}: {e}"));
    }
}

internal sealed class PreferenceOptionsValidator : IValidateOptions<PreferenceOptions>
{
    public ValidateOptionsResult Validate(string? name, PreferenceOptions options)
    {
        var errors = PreferenceOptions.Validate(options).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => $"{PreferenceOptions.Section}: {e}"));
    }
}

internal sealed class DriftTriggerOptionsValidator : IValidateOptions<DriftTriggerOptions>
{
    public ValidateOptionsResult Validate(string? name, DriftTriggerOptions options)
    {
        var errors = DriftTriggerOptions.Validate(options).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => $"{DriftTriggerOptions.Section}: {e}"));
    }
}

internal sealed class MonitoringOptionsValidator : IValidateOptions<MonitoringOptions>
{
    public ValidateOptionsResult Validate(string? name, MonitoringOptions options)
    {
        var errors = MonitoringOptions.Validate(options).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => $"{MonitoringOptions.Section}: {e}"));
    }
}

internal sealed class PredictionLogRetentionOptionsValidator : IValidateOptions<PredictionLogRetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, PredictionLogRetentionOptions options)
    {
        var errors = PredictionLogRetentionOptions.Validate(options).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => $"{PredictionLogRetentionOptions.Section}: {e}"));
    }
}
