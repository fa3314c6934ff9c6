using Quartz;

namespace ViralityDashboard.Training.Scheduling;

/// <summary>Identities of the retrain job, the data-trigger check and their cron triggers in the shared Quartz store.</summary>
public static class TrainingSchedule
{
    public const string SchedulerName = "virality";
    /// <summary>Must match the prefix the Data migration created the tables with (Quartz's default).</summary>
    public const string TablePrefix = "qrtz_";
    public static readonly JobKey JobKey = new("engagement-retrain", "training");
    public static readonly TriggerKey CronTriggerKey = new("engagement-retrain-cron", "training");
    public static readonly JobKey DataTriggerJobKey = new("preference-data-trigger", "training");
    public static readonly TriggerKey DataTriggerCronKey = new("preference-data-trigger-cron", "training");
}
