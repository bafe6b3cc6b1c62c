using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Governance.Api.Infrastructure;

/// <summary>
/// A private PostgreSQL cluster kept under a data folder, so the product runs with no database set up beforehand.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    private const string Superuser = "governance";
    private const string OsUser = "postgres";

    private readonly string _dataDir, _pgDir, _clusterDir, _logFile, _socketDir, _binDir;
    private readonly bool _runAsPostgres, _deleteOnDispose;
    private readonly Action<string>? _log;
    private string _password = "";
    private int _stopped;

    private LocalPostgres(string dataDir, string binDir, bool runAsPostgres, bool deleteOnDispose, Action<string>? log)
    {
        (_dataDir, _binDir, _runAsPostgres, _deleteOnDispose, _log) = (dataDir, binDir, runAsPostgres, deleteOnDispose, log);
        _pgDir = Path.Combine(dataDir, "pg");
        _clusterDir = Path.Combine(_pgDir, "data");
        _logFile = Path.Combine(_pgDir, "server.log");
        // Unix socket paths are capped at 107 bytes; a deep data folder would make the server refuse to start.
        _socketDir = Path.Combine(_pgDir, "run");
        if (Encoding.UTF8.GetByteCount(Path.Combine(_socketDir, ".s.PGSQL.65535")) > 107)
            _socketDir = "/tmp/governance-pg-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(_pgDir)))[..12].ToLowerInvariant();
    }

    public int Port { get; private set; }

    public string ConnectionString => ConnectionStringFor("governance");

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = Superuser, Password = _password, Database = database,
    }.ConnectionString;

    public static Task<LocalPostgres> StartAsync(string dataDir, CancellationToken ct = default) =>
        StartAsync(dataDir, log: null, deleteOnDispose: false, ct);

    /// <param name="deleteOnDispose">Delete the whole <paramref name="dataDir"/> on dispose (throwaway test clusters).</param>
    public static async Task<LocalPostgres> StartAsync(
        string dataDir, Action<string>? log, bool deleteOnDispose = false, CancellationToken ct = default)
    {
        var binDir = await FindBinDirAsync(ct);
        // PostgreSQL refuses to run as root, so as root the server tools run as the dedicated OS account.
        var asRoot = !OperatingSystem.IsWindows() && Environment.UserName == "root";
        if (asRoot && (await RunAsync("id", ["-u", OsUser], null, null, false, ct)).Code != 0)
            throw new InvalidOperationException(
                "PostgreSQL cannot run as root and there is no 'postgres' OS user to run it as. Create one (`useradd -r postgres`), " +
                "run as a normal user, or set ConnectionStrings:Governance to an existing PostgreSQL server.");
        var pg = new LocalPostgres(Path.GetFullPath(dataDir), binDir, asRoot, deleteOnDispose, log);
        await pg.InitAndStartAsync(ct);
        return pg;
    }

    /// <summary>Creates the database if it does not exist yet; safe to call concurrently.</summary>
    public async Task CreateDatabaseAsync(string name, CancellationToken ct = default)
    {
        // Longer names are silently truncated by the server, which would break ConnectionStringFor(name).
        if (name.Length == 0 || Encoding.UTF8.GetByteCount(name) > 63)
            throw new ArgumentException("Database names must be 1 to 63 bytes long.", nameof(name));
        var admin = new NpgsqlConnectionStringBuilder(ConnectionStringFor("postgres")) { Pooling = false };
        await using var conn = new NpgsqlConnection(admin.ConnectionString);
        await conn.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", conn);
        exists.Parameters.Add(new NpgsqlParameter { Value = name });
        if (await exists.ExecuteScalarAsync(ct) is not null) return;
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"")}\"", conn);
        try { await create.ExecuteNonQueryAsync(ct); }
        // Losing a race with another creator still leaves the database we asked for.
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation) { }
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        _log?.Invoke($"Stopping PostgreSQL on port {Port}");
        var (code, output) = await PgAsync("pg_ctl", ["stop", "-D", _clusterDir, "-m", "fast", "-w"], check: false, CancellationToken.None);
        // A server someone already stopped is the outcome we wanted, so only a still-running one is an error.
        if (code != 0 && (await PgAsync("pg_ctl", ["status", "-D", _clusterDir], check: false, CancellationToken.None)).Code == 0)
            throw new InvalidOperationException($"pg_ctl stop failed (exit {code}): {output.Trim()}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (!_deleteOnDispose) return;
        try
        {
            if (Directory.Exists(_dataDir)) Directory.Delete(_dataDir, recursive: true);
            if (!_socketDir.StartsWith(_pgDir, StringComparison.Ordinal) && Directory.Exists(_socketDir)) Directory.Delete(_socketDir, true);
        }
        catch (IOException e) { _log?.Invoke($"Could not delete {_dataDir}: {e.Message}"); }
    }

    private async Task InitAndStartAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(_pgDir);
        Directory.CreateDirectory(_socketDir);
        var pwFile = Path.Combine(_pgDir, "password");
        var portFile = Path.Combine(_pgDir, "port");
        // initdb works in a side folder that is renamed when complete, so an interrupted first run never looks initialized.
        var initialized = Directory.Exists(_clusterDir);
        var pendingDir = _clusterDir + ".initdb";
        if (!initialized)
        {
            if (Directory.Exists(pendingDir)) Directory.Delete(pendingDir, recursive: true);
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            await using (var pw = new StreamWriter(pwFile, Encoding.ASCII, options))
                await pw.WriteAsync(Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant());
        }
        else if (!File.Exists(pwFile))
            throw new InvalidOperationException($"{pwFile} is missing, so the cluster in {_clusterDir} cannot be used. Delete {_pgDir} to start afresh.");
        _password = (await File.ReadAllTextAsync(pwFile, ct)).Trim();
        if (_runAsPostgres) await GrantToPostgresAsync(ct);

        if (!initialized)
        {
            _log?.Invoke($"Initializing PostgreSQL cluster in {_clusterDir}");
            await PgAsync("initdb", ["-D", pendingDir, "-U", Superuser, "--auth=scram-sha-256", $"--pwfile={pwFile}", "-E", "UTF8", "--locale=C"], ct: ct);
            Directory.Move(pendingDir, _clusterDir);
        }

        var pidFile = Path.Combine(_clusterDir, "postmaster.pid");
        var alreadyRunning = File.Exists(pidFile) && (await PgAsync("pg_ctl", ["status", "-D", _clusterDir], check: false, ct)).Code == 0;
        if (alreadyRunning)
        {
            // Left running by a process that died without stopping it; the lock file knows the port it really listens on.
            var lines = await File.ReadAllLinesAsync(pidFile, ct);
            Port = lines.Length > 3 && int.TryParse(lines[3], out var p) ? p : int.Parse(await File.ReadAllTextAsync(portFile, ct), CultureInfo.InvariantCulture);
            _log?.Invoke($"Reusing PostgreSQL already running on port {Port}");
        }
        else
        {
            var stored = File.Exists(portFile) && int.TryParse(await File.ReadAllTextAsync(portFile, ct), out var s) ? s : 0;
            Port = (stored > 0 ? TryBind(stored) : null) ?? TryBind(0)!.Value;
            await File.WriteAllTextAsync(portFile, Port.ToString(CultureInfo.InvariantCulture), ct);
            _log?.Invoke($"Starting PostgreSQL on 127.0.0.1:{Port} (log: {_logFile})");
            await StartServerAsync(ct);
        }
        try { await CreateDatabaseAsync("governance", ct); }
        catch (NpgsqlException e) when (alreadyRunning)
        {
            throw new InvalidOperationException($"{pidFile} says a server is running, but it does not answer on port {Port}. " +
                $"Stop it with `pg_ctl stop -D {_clusterDir}`, or delete postmaster.pid if that process no longer exists.", e);
        }
    }

    /// <summary>
    /// Whether the postmaster this cluster's lock file names is alive. Cheap (no child process), so a supervisor can ask
    /// every second; false once <see cref="StopAsync"/> was called, which is not a death to recover from.
    /// </summary>
    public bool IsRunning
    {
        get
        {
            try { return LockOwner() is { } pid && Alive(pid); }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException) { return false; }
        }
    }

    /// <summary>The postmaster's process id, from its lock file (for fault tests that kill it).</summary>
    public int? PostmasterPid => LockOwner();

    private int? LockOwner()
    {
        var pidFile = Path.Combine(_clusterDir, "postmaster.pid");
        return File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) ? pid : null;
    }

    private static bool Alive(int pid)
    {
        // A killed postmaster whose parent does not reap it stays a zombie: it exists, but it is dead.
        var stat = $"/proc/{pid}/stat";
        if (File.Exists(stat)) return File.ReadAllText(stat) is var text && text[(text.LastIndexOf(')') + 2)..].FirstOrDefault() is not ('Z' or 'X');
        using var process = Process.GetProcessById(pid);
        return !process.HasExited;
    }

    public bool Stopped => Volatile.Read(ref _stopped) == 1;

    /// <summary>
    /// Starts the server again on the same port after its postmaster died; PostgreSQL's crash recovery replays the WAL,
    /// so every committed transaction is there. Fails (to be tried again later) while the dead server's backends still hold
    /// its shared memory.
    /// </summary>
    public async Task RestartAsync(CancellationToken ct)
    {
        if (Stopped) return;
        // PostgreSQL removes a stale lock file itself, unless its process still exists as a zombie: that one is ours to remove.
        if (LockOwner() is { } pid && File.Exists($"/proc/{pid}/stat") && !Alive(pid))
            File.Delete(Path.Combine(_clusterDir, "postmaster.pid"));
        await StartServerAsync(ct);
    }

    private async Task StartServerAsync(CancellationToken ct)
    {
        // pg_ctl hands -o to /bin/sh, so this one string has to be shell-quoted.
        var serverOptions = $"-p {Port} -c listen_addresses=127.0.0.1" + (OperatingSystem.IsWindows() ? "" : $" -k {ShellQuote(_socketDir)}");
        try { await PgAsync("pg_ctl", ["-D", _clusterDir, "-l", _logFile, "-w", "-t", "60", "-o", serverOptions, "start"], ct: ct); }
        catch (InvalidOperationException e)
        {
            var tail = File.Exists(_logFile) ? string.Join('\n', (await File.ReadAllLinesAsync(_logFile, ct)).TakeLast(20)) : "(no log written)";
            throw new InvalidOperationException($"{e.Message}\nLast lines of {_logFile}:\n{tail}", e);
        }
    }

    private async Task GrantToPostgresAsync(CancellationToken ct)
    {
        if (OperatingSystem.IsWindows()) return;
        // The server account must be able to walk down to its files; only the missing traverse bit is added.
        for (var dir = Path.GetDirectoryName(_pgDir); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            var mode = File.GetUnixFileMode(dir);
            if ((mode & UnixFileMode.OtherExecute) != 0) continue;
            _log?.Invoke($"Adding o+x to {dir} so the '{OsUser}' user can reach the cluster");
            File.SetUnixFileMode(dir, mode | UnixFileMode.OtherExecute);
        }
        await RunAsync("chown", ["-R", OsUser, _pgDir], null, null, true, ct);
        if (!_socketDir.StartsWith(_pgDir, StringComparison.Ordinal)) await RunAsync("chown", [OsUser, _socketDir], null, null, true, ct);
    }

    private Task<(int Code, string Output)> PgAsync(string tool, string[] args, bool check = true, CancellationToken ct = default) =>
        RunAsync(Path.Combine(_binDir, tool), args, _runAsPostgres ? OsUser : null, _pgDir, check, ct);

    private static async Task<(int Code, string Output)> RunAsync(
        string exe, string[] args, string? runAs, string? workDir, bool check, CancellationToken ct)
    {
        // Children inherit our working directory, which the server account may be unable to enter (e.g. /root).
        var psi = new ProcessStartInfo { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workDir ?? "" };
        string[] argv = runAs is null ? [exe, .. args]
            : Which("runuser") is { } runuser ? [runuser, "-u", runAs, "--", exe, .. args]
            : ["su", runAs, "-s", "/bin/sh", "-c", string.Join(' ', new[] { exe }.Concat(args).Select(ShellQuote))];
        psi.FileName = argv[0];
        foreach (var a in argv.Skip(1)) psi.ArgumentList.Add(a);
        var commandLine = string.Join(' ', argv.Select(a => a.Contains(' ') ? ShellQuote(a) : a));

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start `{commandLine}`.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try { await process.WaitForExitAsync(ct); }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        var output = (await stdout + await stderr).Trim();
        if (check && process.ExitCode != 0)
            throw new InvalidOperationException($"`{commandLine}` failed with exit code {process.ExitCode}: {(await stderr).Trim()}");
        return (process.ExitCode, output);
    }

    private static async Task<string> FindBinDirAsync(CancellationToken ct)
    {
        static string Exe(string name) => OperatingSystem.IsWindows() ? name + ".exe" : name;
        static bool HasTools(string dir) => File.Exists(Path.Combine(dir, Exe("initdb"))) && File.Exists(Path.Combine(dir, Exe("pg_ctl")));

        if (Environment.GetEnvironmentVariable("GOVERNANCE_PG_BIN") is { Length: > 0 } fromEnv)
            return HasTools(fromEnv) ? fromEnv : throw new InvalidOperationException($"GOVERNANCE_PG_BIN={fromEnv} does not contain initdb and pg_ctl.");
        // pg_config may come from a client-only package, so its answer still has to contain the server tools.
        try
        {
            if (Which("pg_config") is { } pgConfig && await RunAsync(pgConfig, ["--bindir"], null, null, false, ct) is (0, var bin) && HasTools(bin))
                return bin;
        }
        catch (System.ComponentModel.Win32Exception) { } // not executable: keep looking
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            var newest = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Bin: Path.Combine(d, "bin"), Ok: decimal.TryParse(Path.GetFileName(d), NumberStyles.Number, CultureInfo.InvariantCulture, out var v), Version: v))
                .Where(c => c.Ok && HasTools(c.Bin)).OrderByDescending(c => c.Version).FirstOrDefault();
            if (newest.Bin is not null) return newest.Bin;
        }
        if (HasTools("/usr/local/pgsql/bin")) return "/usr/local/pgsql/bin";
        if (Which("initdb") is { } initdb && Path.GetDirectoryName(initdb) is { } dir && HasTools(dir)) return dir;
        throw new InvalidOperationException(
            "No PostgreSQL server binaries (initdb, pg_ctl) were found. Install PostgreSQL (e.g. `apt-get install postgresql` on Debian/Ubuntu, " +
            "`brew install postgresql@16` on macOS), or set ConnectionStrings:Governance to an existing PostgreSQL server, " +
            "or set GOVERNANCE_PG_BIN to the folder that contains initdb and pg_ctl.");
    }

    private static string? Which(string name)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/local/sbin"]);
        var file = OperatingSystem.IsWindows() ? name + ".exe" : name;
        return dirs.Select(d => Path.Combine(d, file)).FirstOrDefault(File.Exists);
    }

    private static int? TryBind(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return ((IPEndPoint)socket.LocalEndPoint!).Port;
        }
        catch (SocketException) { return null; }
    }

    private static string ShellQuote(string s) => "'" + s.Replace("'", "'\\''") + "'";
}
