using System.Runtime.InteropServices;

namespace ViralityDashboard;

/// <summary>
/// A stop (SIGTERM, SIGINT, SIGQUIT) before the host handles signals cancels the startup instead of ending the process.
/// The host's lifetime handles them only from its own start on; before that the runtime's default handler ended the
/// process at once. No <c>finally</c> or <c>await using</c> ran, so a first start stopped when "Started PostgreSQL" was
/// logged left that cluster running (issue 22 §4). Cancelled, the startup unwinds instead, and disposing the
/// database lease stops the cluster it started, as a stop after startup does.
/// </summary>
internal sealed class StartupStop : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<PosixSignalRegistration> _registrations = [];

    public StartupStop()
    {
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
    }

    /// <summary>Cancelled by a stop during startup.</summary>
    public CancellationToken Token => _stop.Token;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // not the default handler: the startup unwinds and the process exits from Main
        Console.Error.WriteLine($"{context.Signal} during startup: stopping what has started");
        _stop.Cancel();
    }

    /// <summary>From the host's start on, its own lifetime handles the signals.</summary>
    public void HandOver()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _registrations.Clear();
    }

    public void Dispose()
    {
        HandOver();
        _stop.Dispose();
    }
}
