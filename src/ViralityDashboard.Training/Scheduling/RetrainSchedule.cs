using System.Text.Json;
using Quartz;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Training.Scheduling;

/// <summary>The scheduled retrain's cron trigger as the Training page shows and edits it.</summary>
public sealed record ScheduleInfo(string Cron, DateTimeOffset? NextFireTime, string? State)
{
    /// <summary>What the scheduled run trains; all null (the configured defaults) unless set on the Training page.</summary>
    public ScheduleChoices Choices { get; init; } = new();
}

/// <summary>The scheduled run's trainer, feature set and tier scheme; null takes the configured default (<c>Virality:Training</c>).</summary>
public sealed record ScheduleChoices(TrainerKind? Trainer = null, FeatureSet? FeatureSet = null, TierScheme? TierScheme = null, TrainingRowsMode? Rows = null)
{
    /// <summary>The request the cron trigger carries in its job data, which <see cref="RetrainJob"/> runs.</summary>
    public TrainingRequest ToRequest() => new(FeatureSet, TierScheme, Trainer, RequestedBy: "schedule", Trigger: RunTrigger.Schedule, Rows: Rows);

    public static ScheduleChoices From(TrainingRequest? request) =>
        request is null ? new() : new(request.Trainer, request.FeatureSet, request.TierScheme, request.Rows);

    public bool IsDefault => Trainer is null && FeatureSet is null && TierScheme is null && Rows is null;
}

public interface IRetrainSchedule
{
    Task<ScheduleInfo?> GetAsync(CancellationToken ct = default);

    /// <summary>
    /// Replaces the cron trigger in the Quartz store (every node of the cluster sees it), with what the scheduled run
    /// trains in its job data (<paramref name="choices"/>; null: the configured defaults).
    /// </summary>
    /// <exception cref="FormatException">Not a valid Quartz cron expression.</exception>
    Task<ScheduleInfo> RescheduleAsync(string cron, ScheduleChoices? choices = null, CancellationToken ct = default);
}

/// <summary>Validation and the human-readable preview: pure, so the page can run them as the owner types.</summary>
public static class CronPreview
{
    /// <summary>Null when valid, else why not.</summary>
    public static string? Validate(string? cron)
    {
        if (string.IsNullOrWhiteSpace(cron))
            return "Enter a Quartz cron expression (seconds minutes hours day-of-month month day-of-week), e.g. 0 0 3 * * ?";
        try
        {
            CronExpression.Parse(cron.Trim());
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }

    /// <summary>The next <paramref name="count"/> fire times in UTC after <paramref name="from"/>; empty when invalid.</summary>
    public static IReadOnlyList<DateTimeOffset> NextFireTimes(string? cron, DateTimeOffset from, int count = 3)
    {
        if (Validate(cron) is not null)
            return [];
        var expression = new CronExpression(cron!.Trim(), TimeZoneInfo.Utc);
        var times = new List<DateTimeOffset>();
        var at = from;
        while (times.Count < count && expression.GetNextValidTimeAfter(at) is { } next)
        {
            times.Add(next);
            at = next;
        }
        return times;
    }
}

public sealed class RetrainSchedule(ISchedulerFactory schedulers) : IRetrainSchedule
{
    public async Task<ScheduleInfo?> GetAsync(CancellationToken ct = default)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        if (await scheduler.GetTrigger(TrainingSchedule.CronTriggerKey, ct) is not ICronTrigger trigger)
            return null;
        var state = await scheduler.GetTriggerState(TrainingSchedule.CronTriggerKey, ct);
        var json = trigger.JobDataMap.TryGetString(RetrainJob.RequestKey, out var stored) ? stored : null;
        var request = json is null ? null : JsonSerializer.Deserialize<TrainingRequest>(json, TrainingJson.Options);
        return new ScheduleInfo(trigger.CronExpressionString ?? "", trigger.NextFireTimeUtc, state.ToString()) { Choices = ScheduleChoices.From(request) };
    }

    public async Task<ScheduleInfo> RescheduleAsync(string cron, ScheduleChoices? choices = null, CancellationToken ct = default)
    {
        if (CronPreview.Validate(cron) is { } error)
            throw new FormatException(error);
        var scheduler = await schedulers.GetScheduler(ct);
        var builder = TriggerBuilder.Create()
            .WithIdentity(TrainingSchedule.CronTriggerKey)
            .ForJob(TrainingSchedule.JobKey)
            .WithCronSchedule(cron.Trim(), c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            // Marks the schedule as the owner's choice: later starts keep it over the configured cron.
            .WithDescription(RetrainScheduleSeeder.EditedDescription);
        // Stored with the trigger, so the choice survives restarts exactly as the cron does.
        if (choices is { IsDefault: false })
            builder = builder.UsingJobData(RetrainJob.RequestKey, JsonSerializer.Serialize(choices.ToRequest(), TrainingJson.Options));
        var trigger = builder.Build();
        if (await scheduler.GetTrigger(TrainingSchedule.CronTriggerKey, ct) is null)
            await scheduler.ScheduleJob(trigger, cancellationToken: ct);
        else
            await scheduler.RescheduleJob(TrainingSchedule.CronTriggerKey, trigger, ct);
        return (await GetAsync(ct))!;
    }
}
