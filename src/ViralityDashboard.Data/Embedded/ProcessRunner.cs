using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ViralityDashboard.Data.Embedded;

/// <summary>Runs PostgreSQL's programs, as the postgres OS user when we are root (PostgreSQL refuses root).</summary>
internal sealed class ProcessRunner
{
    public const string PostgresOsUser = "postgres";

    public bool RunAsPostgresUser { get; } = OperatingSystem.IsLinux() && geteuid() == 0;

    [DllImport("libc")]
    private static extern uint geteuid();

    public async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> args, TimeSpan timeout, CancellationToken ct = default)
    {
        var psi = new ProcessStartInfo
        {
            FileName = RunAsPostgresUser ? "runuser" : program,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (RunAsPostgresUser)
        {
            foreach (var a in new[] { "-u", PostgresOsUser, "--", program })
                psi.ArgumentList.Add(a);
        }
        foreach (var a in args)
            psi.ArgumentList.Add(a);

        using var process = Process.Start(psi) ?? throw new EmbeddedPostgresException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new EmbeddedPostgresException($"{Path.GetFileName(program)} did not finish within {timeout.TotalSeconds:0} s.");
        }
        return (process.ExitCode, ((await stdout) + (await stderr)).Trim());
    }

    /// <summary>Hands a directory or file we created to the postgres OS user (only needed when we are root).</summary>
    public async Task GiveToPostgresUserAsync(string path)
    {
        if (!RunAsPostgresUser)
            return;
        var psi = new ProcessStartInfo("chown") { UseShellExecute = false, RedirectStandardError = true };
        psi.ArgumentList.Add($"{PostgresOsUser}:{PostgresOsUser}");
        psi.ArgumentList.Add(path);
        using var p = Process.Start(psi)!;
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
            throw new EmbeddedPostgresException($"Could not hand {path} to the '{PostgresOsUser}' OS user: {err.Trim()}. Is PostgreSQL installed (it creates that user)?");
    }
}
