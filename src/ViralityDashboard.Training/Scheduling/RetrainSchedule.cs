using Quartz;

namespace ViralityDashboard.Training.Scheduling;

/// <summary>The scheduled retrain's cron trigger as the Training page shows and edits it.</summary>
public sealed record ScheduleInfo(string Cron, DateTimeOffset? NextFireTime, string? State);

public interface IRetrainSchedule
{
    Task<ScheduleInfo?> GetAsync(CancellationToken ct = default);

    /// <summary>Replaces the cron trigger in the Quartz store (every node of the cluster sees it).</summary>
    /// <exception cref="FormatException">Not a valid Quartz cron expression.</exception>
    Task<ScheduleInfo> RescheduleAsync(string cron, CancellationToken ct = default);
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
        return new ScheduleInfo(trigger.CronExpressionString ?? "", trigger.NextFireTimeUtc, state.ToString());
    }

    public async Task<ScheduleInfo> RescheduleAsync(string cron, CancellationToken ct = default)
    {
        if (CronPreview.Validate(cron) is { } error)
            throw new FormatException(error);
        var scheduler = await schedulers.GetScheduler(ct);
        var trigger = TriggerBuilder.Create()
            .WithIdentity(TrainingSchedule.CronTriggerKey)
            .ForJob(TrainingSchedule.JobKey)
            .WithCronSchedule(cron.Trim(), c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            // Marks the schedule as the owner's choice: later starts keep it over the configured cron.
            .WithDescription(RetrainScheduleSeeder.EditedDescription)
            .Build();
        if (await scheduler.GetTrigger(TrainingSchedule.CronTriggerKey, ct) is null)
            await scheduler.ScheduleJob(trigger, cancellationToken: ct);
        else
            await scheduler.RescheduleJob(TrainingSchedule.CronTriggerKey, trigger, ct);
        return (await GetAsync(ct))!;
    }
}
