using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using MudBlazor;
using ViralityDashboard.Account;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Training;
using ViralityDashboard.Training.Preference;

namespace ViralityDashboard.Components.Pages.Rate;

public sealed partial class RatePage : IAsyncDisposable
{
    private const int BatchSize = 50;

    [Inject] private IRatingQueries Ratings { get; set; } = null!;
    [Inject] private OwnerGuard Guard { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private TimeProvider Clock { get; set; } = null!;
    [Inject] private IRatingQueueRanker Ranker { get; set; } = null!;
    [Inject] private IOptions<PreferenceOptions> Preference { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;

    private RateQueue? _queue;
    private RatingSession? _session;
    private string? _filter;
    private bool _saving;
    private bool _focusPanel;
    private ElementReference _panel;
    private long _shownAt;
    private IJSObjectReference? _keys;
    private DotNetObjectReference<RatePage>? _self;

    protected override async Task OnInitializedAsync()
    {
        _queue = new RateQueue(Ratings, Ranker, Preference.Value.Filter);
        await _queue.InitializeAsync();
        await LoadAsync();
    }

    private async Task OrderChangedAsync(QueueOrder order)
    {
        _queue!.Order = order;
        _queue.ForgetSkipped();
        _session = null;
        await LoadAsync();
    }

    private async Task FilterChangedAsync(string? value)
    {
        _filter = value;
        _queue!.ForgetSkipped();
        await LoadAsync();
    }

    private async Task LoadMoreAsync()
    {
        if (_session is not null)
            _queue!.Skip(_session.Unsaved);
        await LoadAsync();
    }

    private async Task StartOverAsync()
    {
        _queue!.ForgetSkipped();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _session = new RatingSession(await _queue!.LoadAsync(_filter, BatchSize));
        Shown();
    }

    private void Shown()
    {
        _shownAt = Clock.GetTimestamp();
        _focusPanel = true;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
            await ListenForShortcutsAsync();
        // With no current video the panel is gone, but _panel still holds the removed element: focusing that threw
        // "Unable to focus an invalid element" and took the circuit down (an empty filter, an @handle, 50 skips).
        if (_focusPanel && _session?.Current is not null && _panel.Context is not null)
        {
            _focusPanel = false;
            await _panel.FocusAsync();
        }
    }

    private void Clicked(int dimension, int step)
    {
        _session?.Set(dimension, step);
        _focusPanel = true; // the click focused the button; the next digit must reach the panel again
    }

    /// <summary>A document-level keydown listener for as long as the page is shown (removed in <see cref="DisposeAsync"/>).</summary>
    private async Task ListenForShortcutsAsync()
    {
        try
        {
            _self = DotNetObjectReference.Create(this);
            _keys = await JS.InvokeAsync<IJSObjectReference>("import", "./Components/Pages/Rate/RatePage.razor.js");
            await _keys.InvokeVoidAsync("listen", _self);
        }
        catch (Exception e) when (e is JSDisconnectedException or OperationCanceledException)
        {
            // the tab is gone
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_keys is not null)
            {
                await _keys.InvokeVoidAsync("stop");
                await _keys.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // the tab is gone, and its listener with it
        }
        _self?.Dispose();
    }

    /// <summary>A shortcut key, from the page-wide listener, which already left out keys typed into a text field.</summary>
    /// <returns>True when Tab goes past the first or last dimension: the listener then moves the focus out of the panel.</returns>
    [JSInvokable]
    public async Task<bool> OnKeyAsync(string key, bool shift)
    {
        if (_session is null)
            return false;
        switch (key)
        {
            case [var c] when char.IsAsciiDigit(c):
                _session.SetDigit(c - '0');
                break;
            case "Tab" when _session.Focus == (shift ? 0 : RatingSession.Dimensions.Length - 1):
                return true;
            case "Tab":
                _session.MoveFocus(shift ? -1 : 1);
                break;
            case "ArrowDown":
                _session.MoveFocus(1);
                break;
            case "ArrowUp":
                _session.MoveFocus(-1);
                break;
            case "Enter":
                await SaveAsync();
                break;
            case "s" or "S":
                Skip();
                break;
            case "Backspace" or "ArrowLeft":
                Back();
                break;
        }
        StateHasChanged(); // called from JavaScript, not through a Blazor event handler
        return false;
    }

    private async Task SaveAsync()
    {
        if (_session?.Current is not { } entry || _saving)
            return;
        if (!_session.CanSave)
        {
            Snackbar.Add("Set the overall score first (a digit key).", Severity.Warning);
            return;
        }
        _saving = true;
        try
        {
            var rater = await Guard.EnsureOwnerAsync("rate videos");
            var seconds = entry.SecondsBefore + Clock.GetElapsedTime(_shownAt).TotalSeconds;
            entry.SavedRatingId = await Ratings.SaveAsync(_session.ToInput(rater, seconds));
            entry.SecondsBefore = seconds;
            Snackbar.Add(entry.Video.Analyzed == false
                ? $"Rating saved for video {entry.Video.PlatformVideoId}. It counts toward your preference model once the video is analyzed."
                : $"Rating saved for video {entry.Video.PlatformVideoId}.", Severity.Success);
            Next();
        }
        catch (NotOwnerException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The input stays on screen: nothing is lost, the owner can retry.
            Snackbar.Add($"The rating was not saved: {ex.Message}", Severity.Error);
        }
        finally
        {
            _saving = false;
            _focusPanel = true;
        }
    }

    private void Skip() => Next();

    private void Next()
    {
        if (_session is null)
            return;
        if (_session.Current is { } entry && entry.SavedRatingId is null)
            entry.SecondsBefore += Clock.GetElapsedTime(_shownAt).TotalSeconds;
        _session.Next();
        Shown();
    }

    private void Back()
    {
        if (_session?.Back() == true)
            Shown();
    }
}
