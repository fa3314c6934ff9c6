using System.Runtime.InteropServices;

namespace ViralityDashboard.Training.Runs;

/// <summary>
/// Lowers the calling thread's scheduling priority, so that when training and a request want the same core, the request
/// gets it. On Linux a thread has its own nice value (<c>setpriority</c> on its thread id); at nice 10 the kernel gives a
/// runnable request thread (nice 0) about nine times the CPU of a training thread. Elsewhere .NET's own priority does it.
/// </summary>
internal static class BackgroundThreadPriority
{
    public const int Nice = 10;

    public static void LowerCurrentThread()
    {
        if (OperatingSystem.IsLinux())
        {
            // Best effort: a failure (a sandbox that forbids it) leaves the thread at normal priority.
            _ = SetPriority(PrioProcess, GetTid(), Nice);
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
    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();
#pragma warning restore SYSLIB1054
}
