using ViralityDashboard.Core.Preference;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Training;

namespace ViralityDashboard.Components.Pages.Rate;

/// <summary>Which order the rate page's queue is in: newest first (always) or, with an active preference model, most uncertain first.</summary>
public enum QueueOrder
{
    Newest,
    Uncertain,
}

/// <summary>Loads the rate page's queue in the chosen order and keeps each video's uncertainty for the card.</summary>
public sealed class RateQueue(IRatingQueries ratings, IRatingQueueRanker ranker)
{
    public QueueOrder Order { get; set; } = QueueOrder.Newest;

    /// <summary>The active preference version, when there is one: only then can the queue be ordered by uncertainty.</summary>
    public string? ModelTag { get; private set; }

    public IReadOnlyDictionary<long, UncertaintyScore> Uncertainty { get; private set; } = new Dictionary<long, UncertaintyScore>();

    public string EmptyMessage => Order == QueueOrder.Uncertain
        ? "No unrated analyzed videos match: the uncertainty order ranks only videos with an analysis."
        : "No unrated videos match.";

    public async Task InitializeAsync() => ModelTag = await ranker.ActiveVersionAsync();

    public async Task<IReadOnlyList<RatingQueueItem>> LoadAsync(string? filter, int limit)
    {
        if (Order == QueueOrder.Uncertain && ModelTag is not null)
        {
            var ranked = await ranker.GetQueueAsync(filter, limit);
            Uncertainty = ranked.ToDictionary(r => r.Video.Id, r => r.Uncertainty);
            return ranked.Select(r => r.Video).ToList();
        }
        Uncertainty = new Dictionary<long, UncertaintyScore>();
        return await ratings.GetQueueAsync(filter, limit);
    }
}
