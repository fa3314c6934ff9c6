using ViralityDashboard.Components.Pages.Predict;

namespace ViralityDashboard.Tests.Components.Pages.Predict;

public sealed class PredictorInputTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static readonly TimeProvider Clock = new FixedClock(DateTimeOffset.Parse("2026-11-22T18:00:00Z"));

    [Fact]
    public void TheAgeFollowsThePostedTimeUntilTyped()
    {
        var input = new PredictorInput(Clock).Prefilled();

        input.SetPostedAt(new DateTime(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc));
        Assert.Equal(6, input.HoursSincePosting);

        input.SetHoursSincePosting(3);
        input.SetPostedAt(new DateTime(2026, 11, 21, 18, 0, 0, DateTimeKind.Utc));
        Assert.Equal(3, input.HoursSincePosting);
    }

    [Fact]
    public void APostedTimeNotYetReachedIsAgeZero()
    {
        var input = new PredictorInput(Clock).Prefilled();

        input.SetPostedAt(new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc));

        Assert.Equal(0, input.HoursSincePosting);
    }

    [Fact]
    public void WithoutAPostedTimeTheAgeCountsFromFirstSeen()
    {
        var input = new PredictorInput(Clock).Prefilled();
        input.SetPostedAt(null);
        Assert.Null(input.HoursSincePosting); // nothing to count from: the form asks

        input.SetHoursSincePosting(12);
        var video = input.ToRecord();

        Assert.Equal(12, video.AgeHours);
        Assert.Null(video.CreatedAt);
    }
}
