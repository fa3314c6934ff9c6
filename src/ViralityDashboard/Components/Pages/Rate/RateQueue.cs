using ViralityDashboard.Core.Preference;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Training;

namespace ViralityDashboard.Components.Pages.Rate;

/// <summary>
/// Which order the rate page's queue is in: analyzed videos (the ones whose ratings feed the preference model) first,
/// each group newest first (always), or, with an active preference model, most uncertain first.
/// </summary>
public enum QueueOrder
{
    AnalyzedFirst,
    Uncertain,
}

/// <summary>Loads the rate page's queue in the chosen order and keeps each video's uncertainty for the card.</summary>
public sealed class RateQueue(IRatingQueries ratings, IRatingQueueRanker ranker, PreferenceRowFilter analyzed)
{
    public QueueOrder Order { get; set; } = QueueOrder.AnalyzedFirst;

    /// <summary>The active preference version, when there is one: only then can the queue be ordered by uncertainty.</summary>
    public string? ModelTag { get; private set; }

    public IReadOnlyDictionary<long, UncertaintyScore> Uncertainty { get; private set; } = new Dictionary<long, UncertaintyScore>();

    public string EmptyMessage => Order == QueueOrder.Uncertain
        ? "No unrated analyzed videos match: the uncertainty order ranks only videos with an analysis."
        : "No unrated videos match.";

    /// <summary>Ended by the end of a batch, not by the filter: there may be more to load.</summary>
    public bool BatchWasFull { get; private set; }

    public async Task InitializeAsync() => ModelTag = await ranker.ActiveVersionAsync();

    /// <summary>Videos passed over in earlier batches: "load more" shows the next ones instead of the same batch again.</summary>
    public int Skipped => _skipped.Count;

    private readonly HashSet<long> _skipped = [];

    public void Skip(IEnumerable<long> videoIds) => _skipped.UnionWith(videoIds);

    public void ForgetSkipped() => _skipped.Clear();

    public async Task<IReadOnlyList<RatingQueueItem>> LoadAsync(string? filter, int limit)
    {
        // Skipped videos are still unrated, so the query returns them again: ask for that many more and drop them.
        var asked = limit + _skipped.Count;
        IReadOnlyList<RatingQueueItem> items;
        if (Order == QueueOrder.Uncertain && ModelTag is not null)
        {
            var ranked = await ranker.GetQueueAsync(filter, asked);
            Uncertainty = ranked.ToDictionary(r => r.Video.Id, r => r.Uncertainty);
            items = ranked.Select(r => r.Video).ToList();
        }
        else
        {
            Uncertainty = new Dictionary<long, UncertaintyScore>();
            items = await ratings.GetQueueAsync(filter, asked, analyzed);
        }
        BatchWasFull = items.Count >= asked;
        return items.Where(v => !_skipped.Contains(v.Id)).Take(limit).ToList();
    }
}
