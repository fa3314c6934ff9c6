using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Data.Entities;

public sealed class VideoRating
{
    public long Id { get; set; }
    public long VideoId { get; set; }
    public ScrapedVideo? Video { get; set; }
    public string Rater { get; set; } = "";
    public RaterType RaterType { get; set; }
    public double OverallScore { get; set; }
    public double? Hook { get; set; }
    public double? Pacing { get; set; }
    public double? Payoff { get; set; }
    public double? Originality { get; set; }
    public double? Rewatchable { get; set; }
    public string? Notes { get; set; }
    public DateTimeOffset RatedAt { get; set; }
    public double SecondsSpent { get; set; }
}
