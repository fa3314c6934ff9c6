using Quartz;

namespace ViralityDashboard.Training.Jobs;

/// <summary>Identities of the retrain job and its cron trigger in the shared Quartz store.</summary>
public static class TrainingSchedule
{
    public const string SchedulerName = "virality";
    /// <summary>Must match the prefix the Data migration created the tables with (Quartz's default).</summary>
    public const string TablePrefix = "qrtz_";
    public static readonly JobKey JobKey = new("engagement-retrain", "training");
    public static readonly TriggerKey CronTriggerKey = new("engagement-retrain-cron", "training");
}
