namespace ViralityDashboard.Data.Entities;

/// <summary>
/// How far the scoring job has got through <c>scraped_videos</c> for one feature set (<c>scoring_watermarks</c>): every
/// video with an id up to <see cref="ScoredThroughVideoId"/> has been seen by a scoring pass of that set. Ids only grow
/// and the pass reads its bound once no import is in flight, so "newly seen" is a range scan, not an anti-join of every
/// video against the log.
/// </summary>
public sealed class ScoringWatermark
{
    public string FeatureSet { get; set; } = "";
    public long ScoredThroughVideoId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
