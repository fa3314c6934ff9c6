using ViralityDashboard.Data.Queries;

namespace ViralityDashboard.Components.Pages.Rate;

/// <summary>
/// The rate page's state, kept out of the component so it can be reasoned about (and tested) on its own:
/// the loaded queue, which video is shown, the steps entered for it and which dimension has the focus.
/// Steps are 1–10 on screen and step/10 in the database.
/// </summary>
public sealed class RatingSession(IReadOnlyList<RatingQueueItem> queue)
{
    public static readonly string[] Dimensions = ["Overall", "Hook", "Pacing", "Payoff", "Originality", "Rewatchable"];

    private readonly Entry[] _entries = queue.Select(v => new Entry(v)).ToArray();

    public sealed class Entry(RatingQueueItem video)
    {
        public RatingQueueItem Video { get; } = video;
        public int?[] Steps { get; } = new int?[Dimensions.Length];
        public string? Notes { get; set; }
        public long? SavedRatingId { get; set; }
        public double SecondsBefore { get; set; }
    }

    public int Count => _entries.Length;
    public int Index { get; private set; }
    public int Focus { get; private set; }
    public bool IsFinished => Index >= _entries.Length;
    public Entry? Current => IsFinished ? null : _entries[Index];
    public bool CanSave => Current?.Steps[0] is not null;

    /// <summary>A digit key: 1–9 as is, 0 means 10; the focus then moves to the next dimension.</summary>
    public void SetDigit(int digit)
    {
        if (Current is null)
            return;
        Current.Steps[Focus] = digit == 0 ? 10 : digit;
        if (Focus < Dimensions.Length - 1)
            Focus++;
    }

    /// <summary>A click on a step: sets it and moves the focus on as a digit does, so the next digit scores the next dimension, not this one again.</summary>
    public void Set(int dimension, int step)
    {
        if (Current is null)
            return;
        Current.Steps[dimension] = step;
        Focus = Math.Min(dimension + 1, Dimensions.Length - 1);
    }

    /// <summary>The videos of this batch left without a rating.</summary>
    public IEnumerable<long> Unsaved => _entries.Where(e => e.SavedRatingId is null).Select(e => e.Video.Id);

    public void MoveFocus(int delta) => Focus = ((Focus + delta) % Dimensions.Length + Dimensions.Length) % Dimensions.Length;

    public void Next()
    {
        if (Index < _entries.Length)
            Index++;
        Focus = 0;
    }

    public bool Back()
    {
        if (Index == 0)
            return false;
        Index--;
        Focus = 0;
        return true;
    }

    public static double? ToScore(int? step) => step is { } s ? s / 10.0 : null;

    public RatingInput ToInput(string rater, double seconds)
    {
        var e = Current ?? throw new InvalidOperationException("No video to rate.");
        var s = e.Steps;
        return new RatingInput(e.SavedRatingId, e.Video.Id, rater, ToScore(s[0]) ?? throw new InvalidOperationException("Set the overall score first."),
            ToScore(s[1]), ToScore(s[2]), ToScore(s[3]), ToScore(s[4]), ToScore(s[5]), e.Notes, seconds);
    }
}
