using Governance.Api.Infrastructure;
using Governance.Api.Tests.Infrastructure;

namespace Governance.Benchmarks;

/// <summary>What the benchmark commands share: reading their options, and the line that says where and when one ran.</summary>
internal static class Bench
{
    /// <summary>The value after <paramref name="name"/> (<c>--out DIR</c>), or null.</summary>
    public static string? Text(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    /// <summary>The positive number after <paramref name="name"/>, or <paramref name="fallback"/> (also for 0 or less).</summary>
    public static int Option(string[] args, string name, int fallback) =>
        Text(args, name) is { } v && int.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;

    /// <summary>The machine, the date and the load when the run began: a figure in docs/performance.md needs all three.</summary>
    public static string Machine =>
        $"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; date {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; " +
        $"load average at start {File.ReadAllText("/proc/loadavg").Split(' ')[0]}";

    /// <summary>
    /// A throwaway PostgreSQL cluster with one database, and the Release Api in its own process on it, with workstation
    /// GC as a small replica runs. <paramref name="connectionOptions"/> is appended to the connection string.
    /// </summary>
    public static async Task<Deployment> StartAsync(string name, string? connectionOptions = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"governance-{name}-" + Guid.NewGuid().ToString("N"));
        var postgres = await LocalPostgres.StartAsync(dataDir, log: null, deleteOnDispose: true);
        try
        {
            await postgres.CreateDatabaseAsync(name);
            var connectionString = postgres.ConnectionStringFor(name) + (connectionOptions is null ? "" : ";" + connectionOptions);
            var api = await ApiProcess.StartAsync(connectionString, settings: new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" });
            return new Deployment(postgres, api, connectionString, dataDir);
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    /// <summary>What <see cref="StartAsync"/> started; disposing stops the Api, then the cluster, and deletes its files.</summary>
    public sealed record Deployment(LocalPostgres Postgres, ApiProcess Api, string ConnectionString, string DataDir) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Api.DisposeAsync();
            await Postgres.DisposeAsync();
        }
    }
}
