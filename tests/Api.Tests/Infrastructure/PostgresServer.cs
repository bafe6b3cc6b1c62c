using System.Text;
using Governance.Api.Infrastructure;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Governance.Api.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL server for the whole test run, started on first use: a Docker container where a Docker engine is
/// reachable, otherwise a throwaway <see cref="LocalPostgres"/> cluster in a temp folder.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<Task<Func<string, Task<string>>>> Server = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Creates a brand-new empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var createDatabase = await Server.Value;
        return await createDatabase(DatabaseName(prefix));
    }

    private static string DatabaseName(string prefix)
    {
        // 63 bytes is PostgreSQL's identifier limit; the guid takes 33 of them.
        var clean = new StringBuilder();
        foreach (var c in prefix.ToLowerInvariant())
            clean.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '_');
        var head = clean.Length == 0 ? "test" : clean.ToString()[..Math.Min(clean.Length, 30)];
        return $"{head}_{Guid.NewGuid():N}";
    }

    private static async Task<Func<string, Task<string>>> StartAsync()
    {
        if (DockerMayBeAvailable())
        {
            try { return await StartContainerAsync(); }
            // A socket or DOCKER_HOST with no working engine behind it: the local binaries still do the job.
            catch (Exception e)
            {
                Console.Error.WriteLine($"[PostgresServer] Docker unavailable ({e.GetType().Name}: {e.Message.Split('\n')[0]}); using local PostgreSQL binaries.");
            }
        }

        var dataDir = Path.Combine(Path.GetTempPath(), "governance-tests-" + Guid.NewGuid().ToString("N"));
        var local = await LocalPostgres.StartAsync(dataDir, log: null, deleteOnDispose: true);
        // Which process the cluster belongs to: .ci/run stops and removes clusters whose owner is gone (the exit handler
        // below does not run if the host is killed).
        await File.WriteAllTextAsync(Path.Combine(dataDir, "owner.pid"), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Without this the postmaster would outlive the test host and keep its temp folder forever.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => local.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return async name =>
        {
            await local.CreateDatabaseAsync(name);
            return local.ConnectionStringFor(name);
        };
    }

    private static async Task<Func<string, Task<string>>> StartContainerAsync()
    {
        var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
        try { await container.StartAsync(); }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
        var admin = container.GetConnectionString();
        return async name =>
        {
            await using var conn = new NpgsqlConnection(admin);
            await conn.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await create.ExecuteNonQueryAsync();
            return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        };
    }

    // Machines without any sign of a Docker engine skip Testcontainers' endpoint discovery and its error noise entirely.
    private static bool DockerMayBeAvailable()
    {
        if (OperatingSystem.IsWindows() || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")))
            return true;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var runtimeDir = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        string[] hints =
        [
            "/var/run/docker.sock",
            Path.Combine(home, ".docker", "run", "docker.sock"),
            Path.Combine(home, ".testcontainers.properties"),
            runtimeDir is null ? "" : Path.Combine(runtimeDir, "docker.sock"),
        ];
        return hints.Any(p => p.Length > 0 && File.Exists(p));
    }
}
