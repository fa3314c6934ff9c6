using System.Runtime.InteropServices;

namespace ViralityDashboard.Training.Runs;

/// <summary>
/// Lowers the calling thread's scheduling priority, so that when training and a request want the same core, the request
/// gets it. On Linux a thread has its own nice value (<c>setpriority</c> on its thread id); at nice 10 the kernel gives a
/// runnable request thread (nice 0) about nine times the CPU of a training thread. The 10 is added to the process's own
/// nice: a process started under <c>nice -n 10</c> already runs its requests at 10, and an absolute 10 would leave training
/// level with them. Elsewhere .NET's own priority does it.
/// </summary>
internal static class BackgroundThreadPriority
{
    /// <summary>How much nicer than the process training threads run.</summary>
    public const int Nice = 10;

    /// <summary>The kernel's lowest priority; a nicer value is refused.</summary>
    private const int MaxNice = 19;

    public static void LowerCurrentThread()
    {
        if (OperatingSystem.IsLinux())
        {
            // The process's nice is its main thread's (the process id is that thread's id). getpriority returns -1 both
            // for nice -1 and for an error, so errno tells them apart. Best effort: a failure (a sandbox that forbids
            // it) leaves the thread at the process's priority.
            Marshal.SetLastPInvokeError(0);
            var own = GetPriority(PrioProcess, Environment.ProcessId);
            if (own == -1 && Marshal.GetLastPInvokeError() != 0)
                own = 0;
            _ = SetPriority(PrioProcess, GetTid(), Math.Min(own + Nice, MaxNice));
            return;
        }
        try
        {
            Thread.CurrentThread.Priority = ThreadPriority.BelowNormal;
        }
        catch (Exception e) when (e is PlatformNotSupportedException or ThreadStateException)
        {
        }
    }

    private const int PrioProcess = 0;

#pragma warning disable SYSLIB1054 // two blittable calls: LibraryImport would need unsafe code for nothing
    [DllImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static extern int GetPriority(int which, int who);

    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();
#pragma warning restore SYSLIB1054
}
