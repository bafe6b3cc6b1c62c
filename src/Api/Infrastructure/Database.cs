namespace Governance.Api.Infrastructure;

/// <summary>
/// Where the events live: <c>ConnectionStrings:Governance</c> when configured, else a private PostgreSQL cluster
/// under <c>Governance:DataDir</c> that this process starts now and stops on exit.
/// </summary>
public sealed class Database(string connectionString, LocalPostgres? local) : IAsyncDisposable
{
    public string ConnectionString { get; } = connectionString;

    public static Database Resolve(IConfiguration configuration, GovernanceOptions options, ILogger log)
    {
        if (configuration.GetConnectionString("Governance") is { Length: > 0 } configured)
            return new Database(configured, null);
        var dataDir = options.DataPath;
        log.LogInformation("No ConnectionStrings:Governance configured; starting a local PostgreSQL cluster under {DataDir}", dataDir);
        var local = LocalPostgres.StartAsync(dataDir, line => log.LogInformation("postgres: {Line}", line)).GetAwaiter().GetResult();
        return new Database(local.ConnectionString, local);
    }

    public async ValueTask DisposeAsync()
    {
        if (local is not null) await local.DisposeAsync();
    }
}
