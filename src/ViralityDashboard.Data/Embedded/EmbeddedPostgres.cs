using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ViralityDashboard.Data.Embedded;

/// <summary>
/// A private PostgreSQL cluster under a data directory, created on first use and started on a free
/// loopback port. Several processes may share one data directory: the first starts the cluster, later
/// ones find it running (PostgreSQL's own postmaster.pid lock prevents a second postmaster) and reuse it.
/// Whoever is last to leave stops it.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    private const string DatabaseName = "virality";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan RestartRetryWindow = TimeSpan.FromSeconds(60);

    private readonly ProcessRunner _runner;
    private readonly PostgresBinaries _binaries;
    private readonly ILogger _logger;
    /// <summary>Held open for the life of this process: other processes see it and leave the cluster running.</summary>
    private NpgsqlConnection? _lease;
    /// <summary>The maintenance database, where the lease lives.</summary>
    private string _adminConnectionString = "";
    private bool _disposed;
    private const string LeaseApplicationName = "virality-lease";

    private EmbeddedPostgres(string dataDirectory, ProcessRunner runner, PostgresBinaries binaries, ILogger logger)
    {
        DataDirectory = dataDirectory;
        _runner = runner;
        _binaries = binaries;
        _logger = logger;
    }

    public string DataDirectory { get; }
    public string ClusterDirectory => Path.Combine(DataDirectory, "pgdata");
    private string StartLockPath => Path.Combine(DataDirectory, ".start.lock");
    private string PidFile => Path.Combine(ClusterDirectory, "postmaster.pid");
    public string ConnectionString { get; private set; } = "";
    public int Port { get; private set; }
    /// <summary>False when another process had already started the cluster and we joined it.</summary>
    public bool StartedHere { get; private set; }

    /// <summary>The default data directory: per user, except for root, whose home the postgres user cannot enter.</summary>
    public static string DefaultDataDirectory() =>
        new ProcessRunner().RunAsPostgresUser
            ? "/var/lib/viralitydashboard"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "ViralityDashboard");

    public static Task<EmbeddedPostgres> StartAsync(string dataDirectory, ILogger logger, CancellationToken ct = default) =>
        StartAsync(dataDirectory, postgresBinDirectory: null, logger, ct);

    /// <param name="postgresBinDirectory">Where initdb and pg_ctl are (<c>Virality:PostgresBinDir</c>); null to search.</param>
    public static async Task<EmbeddedPostgres> StartAsync(string dataDirectory, string? postgresBinDirectory, ILogger logger, CancellationToken ct = default)
    {
        var binaries = PostgresBinaries.Find(postgresBinDirectory);
        // Said every time: with several versions installed, which one runs the cluster is worth knowing.
        logger.LogInformation("PostgreSQL programs: {InitDb}, {PgCtl} (found by {FoundBy})", binaries.InitDb, binaries.PgCtl, binaries.FoundBy);
        var server = new EmbeddedPostgres(Path.GetFullPath(dataDirectory), new ProcessRunner(), binaries, logger);
        await server.StartAsync(ct);
        return server;
    }

    private async Task StartAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(DataDirectory);
        // Serialises initdb and start between processes that share the data directory.
        await using var initLock = await AcquireLockAsync(StartLockPath, ct);
        try
        {
            await StartLockedAsync(ct);
        }
        catch (Exception e) when (_launched)
        {
            // Stopped (or failed) after this call launched the postmaster: nobody will dispose an instance that was never
            // returned, so stop it here, still under the start lock (nobody has joined it), or it outlives the app.
            _logger.LogInformation("Stopping the PostgreSQL this start launched in {Dir}: {Reason}", ClusterDirectory,
                e is OperationCanceledException ? "the start was stopped" : e.Message);
            await StopLaunchedAsync();
            throw;
        }
    }

    /// <summary>Set once this instance has launched a postmaster during its start.</summary>
    private bool _launched;
    /// <summary>The launched postmaster's pid, when started in this session (<see cref="StartInThisSessionAsync"/>).</summary>
    private int? _launchedPid;

    private async Task StopLaunchedAsync()
    {
        // A postmaster still starting may not have written postmaster.pid yet, and pg_ctl stop needs it.
        var deadline = DateTime.UtcNow + StartTimeout;
        while (_launchedPid is int pid && IsLivePostgres(pid, orItsLauncher: true) && !IsReady(pid) && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        if (!IsPostmasterRunning())
            return;
        var (code, output) = await _runner.RunAsync(_binaries.PgCtl, ["stop", "-D", ClusterDirectory, "-m", "fast", "-w"], CommandTimeout);
        if (code != 0)
            _logger.LogWarning("Stopping PostgreSQL in {Dir} failed: {Output}", ClusterDirectory, output);
    }

    private async Task StartLockedAsync(CancellationToken ct)
    {
        var credentials = await LoadOrCreateCredentialsAsync();
        if (!File.Exists(Path.Combine(ClusterDirectory, "PG_VERSION")))
        {
            // initdb runs to its end (seconds): cut off, it would leave a cluster that looks made but is not.
            await InitClusterAsync(credentials = await WithAdminAsync(credentials), CancellationToken.None);
            ct.ThrowIfCancellationRequested();
        }

        var runningPort = IsPostmasterRunning() ? await RunningPortAsync(ct) : null;
        if (runningPort is int port)
        {
            Port = port;
            _logger.LogInformation("Joined the PostgreSQL cluster already running in {Dir} on port {Port}", ClusterDirectory, port);
        }
        else
        {
            RemoveStalePidFile();
            Port = FreeLoopbackPort();
            _launched = true;
            await StartPostmasterAsync(ct);
            StartedHere = true;
            _logger.LogInformation("Started PostgreSQL ({Bin}) in {Dir} on 127.0.0.1:{Port}", _binaries.Directory, ClusterDirectory, Port);
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = credentials.AdminUser ?? credentials.User,
            Password = credentials.AdminPassword ?? credentials.Password,
            Database = "postgres",
        };
        await EnsureDatabaseAsync(builder.ConnectionString, credentials, ct);
        // The lease (and everything after) connects as the app's own role, not the bootstrap superuser.
        builder.Username = credentials.User;
        builder.Password = credentials.Password;
        _adminConnectionString = builder.ConnectionString;
        await RenewLeaseAsync(ct);
        builder.Database = DatabaseName;
        // Up to 32 connections stay once load has opened them. A new one costs a backend fork and a SCRAM exchange
        // (170–800 ms under load), and pruning idle ones down to a smaller minimum closed two dozen at once five
        // minutes after a burst: their backends' exits held every request for half a second. A server of one's own
        // has room for these; the maximum stays Npgsql's 100, so a larger burst does not queue for a connection.
        builder.MinPoolSize = KeptConnections;
        // The pages repeat the same few dozen statements; prepared once per connection, each skips its parse and plan.
        builder.MaxAutoPrepare = 64;
        ConnectionString = builder.ConnectionString;
    }

    private async Task StartPostmasterAsync(CancellationToken ct)
    {
        var logFile = Path.Combine(ClusterDirectory, "server.log");
        // wal_level=minimal: a private cluster has no replicas or WAL archive, and it lets a first import into an
        // empty table skip WAL (see VideoImporter); max_wal_senders=0 is what minimal requires.
        string[] settings = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_wal_size=2GB", "-c", "wal_level=minimal", "-c", "max_wal_senders=0"];
        if (File.Exists(Bash))
        {
            await StartInThisSessionAsync(logFile, settings, ct);
            return;
        }
        var options = $"-p {Port} " + string.Join(' ', settings.Select(a => a == "unix_socket_directories=" ? "unix_socket_directories=''" : a));
        var (code, output) = await _runner.RunAsync(_binaries.PgCtl,
            ["start", "-D", ClusterDirectory, "-w", "-t", ((int)StartTimeout.TotalSeconds).ToString(), "-l", logFile, "-o", options], CommandTimeout, ct);
        if (code != 0)
            throw new EmbeddedPostgresException($"PostgreSQL did not start in {ClusterDirectory}: {output}\n{TailOfLog(logFile)}");
    }

    private const string Bash = "/bin/bash";
    private const int KeptConnections = 32;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Starts the postmaster in this process's session, in a process group of its own, and waits until it accepts
    /// connections. <c>pg_ctl start</c> would put it in a new session: Linux then schedules the database as a group of
    /// its own beside the app's (autogroups, on by default), one half of the CPU each whatever their threads' nice
    /// values, and a page's query waited up to a quarter of a second behind the training read and prediction logging
    /// while the app's half idled. In the app's session the kernel weighs each backend against the app's threads, and
    /// the training threads' nice 10 yields to both. Its own process group keeps a Ctrl-C in the app's terminal from
    /// stopping the database under the app's own shutdown (bash's job control gives a background job its own group).
    /// </summary>
    private async Task StartInThisSessionAsync(string logFile, string[] settings, CancellationToken ct)
    {
        const string Launch = """set -m; log=$1; shift; "$@" </dev/null >>"$log" 2>&1 & echo $!""";
        // Not cancelled midway: the launch takes milliseconds, and its pid is what a stop during the wait below needs.
        var (code, output) = await _runner.RunAsync(Bash,
            ["-c", Launch, "bash", logFile, _binaries.Postgres, "-D", ClusterDirectory, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. settings],
            CommandTimeout, CancellationToken.None);
        if (code != 0 || !int.TryParse(output.Split('\n').LastOrDefault(), out var pid))
            throw new EmbeddedPostgresException($"PostgreSQL did not start in {ClusterDirectory}: {output}\n{TailOfLog(logFile)}");
        _launchedPid = pid;
        // What pg_ctl -w waits for: postmaster.pid names this process and its status line says ready.
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!IsReady(pid))
        {
            // Until its exec the job is still the forked bash: a busy machine widens that gap.
            if (!IsLivePostgres(pid, orItsLauncher: true))
                throw new EmbeddedPostgresException($"PostgreSQL did not start in {ClusterDirectory}; its log ends:\n{TailOfLog(logFile)}");
            if (DateTime.UtcNow > deadline)
                throw new EmbeddedPostgresException($"PostgreSQL in {ClusterDirectory} was not ready within {StartTimeout.TotalSeconds:0} s; its log ends:\n{TailOfLog(logFile)}");
            await Task.Delay(50, ct);
        }
    }

    /// <summary>postmaster.pid's first line is the postmaster's pid and its eighth its status ("ready" once it accepts connections).</summary>
    private bool IsReady(int pid)
    {
        try
        {
            using var reader = new StreamReader(new FileStream(PidFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            var lines = reader.ReadToEnd().Split('\n');
            return lines.Length >= 8 && lines[0].Trim() == pid.ToString(System.Globalization.CultureInfo.InvariantCulture) && lines[7].Trim() == "ready";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private async Task RenewLeaseAsync(CancellationToken ct)
    {
        if (_lease is not null)
            await _lease.DisposeAsync(); // after a restart its session is gone with the old postmaster
        _lease = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_adminConnectionString)
        {
            Pooling = false,
            ApplicationName = LeaseApplicationName,
            KeepAlive = 30,
        }.ConnectionString);
        await _lease.OpenAsync(ct);
    }

    /// <summary>The pid in postmaster.pid, if the file is there and readable.</summary>
    public int? PostmasterPid()
    {
        try
        {
            using var reader = new StreamReader(new FileStream(PidFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            return int.TryParse(reader.ReadLine(), out var pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True while the postmaster named in postmaster.pid is alive. Cheap: one small file and /proc, no process started.</summary>
    public bool IsPostmasterRunning() => PostmasterPid() is int pid && IsLivePostgres(pid);

    private static bool IsLivePostgres(int pid, bool orItsLauncher = false)
    {
        if (OperatingSystem.IsLinux())
        {
            // "pid (comm) state ...": a zombie (Z) or dead (X) postmaster is gone whatever kill(pid, 0) says, and a
            // live process with another name took over a dead postmaster's pid.
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var close = stat.LastIndexOf(')');
                var comm = stat[(stat.IndexOf('(') + 1)..close];
                return (comm == "postgres" || (orItsLauncher && comm == "bash")) && close + 2 < stat.Length && stat[close + 2] is not ('Z' or 'X');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts the postmaster again, on the same port, when it is not running (killed, crashed or stopped): PostgreSQL
    /// runs its own crash recovery. When another process sharing the data directory has already done so, joins it.
    /// Either way renews this process's lease. Returns true when this call started it.
    /// </summary>
    public async Task<bool> EnsureRunningAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await using var startLock = await AcquireLockAsync(StartLockPath, ct);
        var startedNow = false;
        if (IsPostmasterRunning() && await RunningPortAsync(ct) is int port)
        {
            if (port != Port)
                throw new EmbeddedPostgresException($"PostgreSQL in {ClusterDirectory} now listens on port {port}, not {Port}; restart the app.");
        }
        else
        {
            RemoveStalePidFile();
            // After a kill -9 the old server processes notice their postmaster is gone and exit within moments;
            // until they have, PostgreSQL refuses to start ("pre-existing shared memory block is still in use").
            var deadline = DateTime.UtcNow + RestartRetryWindow;
            while (true)
            {
                try
                {
                    await StartPostmasterAsync(ct);
                    break;
                }
                catch (EmbeddedPostgresException e) when (DateTime.UtcNow < deadline)
                {
                    _logger.LogInformation("PostgreSQL in {Dir} did not start yet, retrying: {Reason}", ClusterDirectory, e.Message);
                    await Task.Delay(TimeSpan.FromSeconds(1), ct);
                }
            }
            startedNow = true;
        }
        await RenewLeaseAsync(ct);
        return startedNow;
    }

    /// <summary>
    /// PostgreSQL ignores a postmaster.pid whose process is dead, but not one whose pid a live process of its user now
    /// has; that file belongs to no server, so it goes. (Old server processes still attached to shared memory keep
    /// blocking the start on their own, so this cannot let two servers share the files.)
    /// </summary>
    private void RemoveStalePidFile()
    {
        if (!File.Exists(PidFile) || (PostmasterPid() is int pid && IsLivePostgres(pid)))
            return;
        _logger.LogInformation("Removing the stale {PidFile} of a postmaster that is gone", PidFile);
        File.Delete(PidFile);
    }

    private async Task InitClusterAsync(Credentials credentials, CancellationToken ct)
    {
        _logger.LogInformation("Creating a PostgreSQL cluster in {Dir} (first run)", ClusterDirectory);
        if (Directory.Exists(ClusterDirectory))
            Directory.Delete(ClusterDirectory, recursive: true); // a half-made cluster from a failed first run holds nothing
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(ClusterDirectory);
        else
            Directory.CreateDirectory(ClusterDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await _runner.GiveToPostgresUserAsync(ClusterDirectory);
        var passwordFile = Path.Combine(DataDirectory, ".initdb-password");
        await WriteSecretAsync(passwordFile, credentials.AdminPassword!, ct);
        await _runner.GiveToPostgresUserAsync(passwordFile);
        try
        {
            var (code, output) = await _runner.RunAsync(_binaries.InitDb,
                ["-D", ClusterDirectory, "-U", credentials.AdminUser!, $"--pwfile={passwordFile}", "--auth=scram-sha-256",
                 "--encoding=UTF8", "--no-locale", "--no-instructions"], CommandTimeout, ct);
            if (code != 0)
            {
                var hint = _runner.RunAsPostgresUser
                    ? $" The '{ProcessRunner.PostgresOsUser}' OS user must be able to reach {DataDirectory}; choose a --data-dir it can enter."
                    : "";
                throw new EmbeddedPostgresException($"initdb failed for {ClusterDirectory}: {output}{hint}");
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>The port of a postmaster already serving this cluster, if there is one.</summary>
    private async Task<int?> RunningPortAsync(CancellationToken ct)
    {
        var pidFile = PidFile;
        if (!File.Exists(pidFile))
            return null;
        var (code, _) = await _runner.RunAsync(_binaries.PgCtl, ["status", "-D", ClusterDirectory], CommandTimeout, ct);
        if (code != 0)
            return null; // a stale pid file from a crash: pg_ctl start clears it
        // postmaster.pid, line 4: the port.
        var lines = await File.ReadAllLinesAsync(pidFile, ct);
        return lines.Length > 3 && int.TryParse(lines[3], out var port) ? port : null;
    }

    /// <summary>
    /// The app's role and its database. The role owns the database and may create scratch databases (the bench
    /// verbs, the tests' template copies) but is no superuser. Clusters made before this role existed have only
    /// their bootstrap login, which stays the app's login (<see cref="Credentials.AdminUser"/> is null).
    /// </summary>
    private static async Task EnsureDatabaseAsync(string adminConnectionString, Credentials app, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(adminConnectionString);
        await conn.OpenAsync(ct);
        var role = new NpgsqlCommandBuilder().QuoteIdentifier(app.User);
        if (app.AdminUser is not null)
        {
            // DDL takes no parameters; the password is our own hex string, and doubled quotes keep it a literal anyway.
            await using var createRole = new NpgsqlCommand(
                $"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{app.User.Replace("'", "''")}') THEN " +
                $"CREATE ROLE {role} LOGIN NOSUPERUSER CREATEDB PASSWORD '{app.Password.Replace("'", "''")}'; END IF; END $$", conn);
            await createRole.ExecuteNonQueryAsync(ct);
        }
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", conn) { Parameters = { new() { Value = DatabaseName } } };
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName} OWNER {role}", conn);
            try
            {
                await create.ExecuteNonQueryAsync(ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // another process created it a moment ago
            }
        }
    }

    /// <summary>Stops the cluster unless another process still holds a lease on it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        NpgsqlConnection.ClearAllPools();
        try
        {
            if (await OtherLeasesAsync())
            {
                _logger.LogInformation("PostgreSQL in {Dir} left running: another process is still using it", ClusterDirectory);
                return;
            }
            var (code, output) = await _runner.RunAsync(_binaries.PgCtl, ["stop", "-D", ClusterDirectory, "-m", "fast", "-w"], CommandTimeout);
            if (code != 0)
                _logger.LogWarning("Stopping PostgreSQL in {Dir} failed: {Output}", ClusterDirectory, output);
        }
        catch (Exception e) when (e is NpgsqlException or EmbeddedPostgresException)
        {
            _logger.LogWarning(e, "Could not stop PostgreSQL in {Dir} cleanly", ClusterDirectory);
        }
    }

    private async Task<bool> OtherLeasesAsync()
    {
        if (_lease is null)
            return false;
        await using (_lease)
        {
            await using var cmd = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()", _lease)
            {
                Parameters = { new() { Value = LeaseApplicationName } },
            };
            return (long)(await cmd.ExecuteScalarAsync())! > 0;
        }
    }

    /// <param name="User">The app's login: owns the app database, no superuser.</param>
    /// <param name="AdminUser">initdb's bootstrap superuser; null in data directories made before the app had a role of its own.</param>
    private sealed record Credentials(string User, string Password, string? AdminUser = null, string? AdminPassword = null);

    /// <summary>A cluster about to be made gets a bootstrap superuser apart from the app's login, saved with it.</summary>
    private async Task<Credentials> WithAdminAsync(Credentials credentials)
    {
        if (credentials.AdminUser is not null)
            return credentials;
        var upgraded = credentials with { AdminUser = "postgres", AdminPassword = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)) };
        var file = Path.Combine(DataDirectory, "credentials.json");
        File.Delete(file);
        await WriteSecretAsync(file, JsonSerializer.Serialize(upgraded), CancellationToken.None);
        return upgraded;
    }

    /// <summary>Created readable by its owner only (0600), never briefly readable by others.</summary>
    private static async Task WriteSecretAsync(string path, string content, CancellationToken ct)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(content.AsMemory(), ct);
    }

    private async Task<Credentials> LoadOrCreateCredentialsAsync()
    {
        var file = Path.Combine(DataDirectory, "credentials.json");
        if (File.Exists(file))
            return JsonSerializer.Deserialize<Credentials>(await File.ReadAllTextAsync(file))
                ?? throw new EmbeddedPostgresException($"{file} is unreadable; delete {DataDirectory} to start afresh.");
        var credentials = new Credentials("virality", Convert.ToHexString(RandomNumberGenerator.GetBytes(24)),
            "postgres", Convert.ToHexString(RandomNumberGenerator.GetBytes(24)));
        await WriteSecretAsync(file, JsonSerializer.Serialize(credentials), CancellationToken.None); // it holds the cluster's passwords
        return credentials;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, ct);
            }
        }
    }

    private static string TailOfLog(string logFile)
    {
        try
        {
            return File.Exists(logFile) ? string.Join('\n', File.ReadLines(logFile).TakeLast(15)) : "";
        }
        catch (IOException)
        {
            return "";
        }
    }
}
