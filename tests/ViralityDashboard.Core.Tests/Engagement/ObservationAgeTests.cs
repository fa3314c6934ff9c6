using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Core.Tests.Engagement;

public sealed class ObservationAgeTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-22T18:00:00Z");
    private static readonly RowsReport Trained = new(TrainingRowsMode.PointInTime, 240, 240, 12, 3, 2, 20, 96);

    private static ScrapedVideoRecord Video(DateTimeOffset? postedAt) => new() { VideoId = "v", Views = 1_000, Likes = 80, Shares = 2, Comments = 5, CreatedAt = postedAt };

    [Fact]
    public void AVideoObservedHoursAfterPostingHasThatAgeAndTheEarlySetReadsIt()
    {
        var video = ObservationAge.At(Video(DateTimeOffset.Parse("2026-11-01T00:00:00Z")), 48, Now);

        Assert.Equal(48, video.AgeHours);
        var features = FeatureExtractor.Extract(video, FeatureSet.Early);
        Assert.Equal(Math.Log10(49) / 4, features[FeatureSet.Early.IndexOf(EarlyFeatures.LogAgeHours)], 5);
        Assert.Equal(0, features[FeatureSet.Early.IndexOf(EarlyFeatures.AgeFromFirstSeen)]);
    }

    [Fact]
    public void WithoutAPostingTimeTheAgeCountsFromFirstSeenAndIsFlagged()
    {
        var video = ObservationAge.At(Video(null), 12, Now);

        Assert.Equal((12d, Now), (video.AgeHours!.Value, video.ScrapedAt!.Value));
        Assert.Equal(1, FeatureExtractor.Extract(video, FeatureSet.Early)[FeatureSet.Early.IndexOf(EarlyFeatures.AgeFromFirstSeen)]);
    }

    [Theory]
    [InlineData(-0.5, "must not be negative")]
    [InlineData(100_000.5, "must be at most 100,000 hours (about 11 years)")]
    [InlineData(double.NaN, "must be a number of hours")]
    [InlineData(0, null)]
    [InlineData(100_000, null)]
    public void AnAgeIsFromZeroToElevenYears(double hours, string? problem) => Assert.Equal(problem, ObservationAge.Problem(hours));

    [Theory]
    [InlineData(1.5, "younger")]
    [InlineData(96.5, "older")]
    public void AnAgeOutsideTheTrainedOnesIsWarnedAbout(double hours, string which) =>
        Assert.Contains($"{which} than any snapshot this model was trained on (2 h–96 h)", ObservationAge.OutsideTraining(Trained, hours));

    [Theory]
    [InlineData(2)]
    [InlineData(96)]
    public void TheTrainedEndsAreInside(double hours) => Assert.Null(ObservationAge.OutsideTraining(Trained, hours));

    [Fact]
    public void AVersionWithoutStoredAgesSaysNothing()
    {
        var latest = new RowsReport(TrainingRowsMode.Latest, 240, 240, 0, 0);

        Assert.Null(ObservationAge.TrainedFor(latest));
        Assert.Null(ObservationAge.TrainedFor(null));
        Assert.Null(ObservationAge.OutsideTraining(null, 5_000));
    }

    [Fact]
    public void TheTrainedAgesReadAsARange() =>
        Assert.Equal("Trained on snapshots 2 h–96 h old (median 20 h), point-in-time rows.", ObservationAge.TrainedFor(Trained));
}
