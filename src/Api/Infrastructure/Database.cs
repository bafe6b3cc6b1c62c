namespace Governance.Api.Infrastructure;

/// <summary>
/// Where the events live: <c>ConnectionStrings:Governance</c> when configured, else a private PostgreSQL cluster
/// under <c>Governance:DataDir</c> that this process starts now and stops on exit.
/// </summary>
public sealed class Database(string connectionString, LocalPostgres? local) : IAsyncDisposable
{
    public string ConnectionString { get; } = WithAutoPrepare(connectionString);

    /// <summary>
    /// Npgsql prepares the statements a connection runs often, unless the connection string says otherwise
    /// (<c>Max Auto Prepare=0</c>, e.g. behind a pooler that cannot keep prepared statements). Marten's writes are a few
    /// statement shapes run over and over (the quick append, one upsert per document type): parsing and planning each
    /// anew was about half of PostgreSQL's CPU in a mass re-assessment (docs/performance.md, "Re-assessment at 100,000,
    /// step by step").
    /// </summary>
    private static string WithAutoPrepare(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("Max Auto Prepare") || given.ContainsKey("MaxAutoPrepare")) return connectionString;
        return new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64, AutoPrepareMinUsages = 2 }.ConnectionString;
    }

    /// <summary>The cluster this process owns, when no connection string was configured; <see cref="PostgresSupervisor"/> keeps it up.</summary>
    public LocalPostgres? Local { get; } = local;

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
        if (Local is not null) await Local.DisposeAsync();
    }
}

/// <summary>
/// Keeps the cluster this process owns running: when its postmaster dies (killed, out of memory), it is started again,
/// with a growing pause between failed tries, and every step is logged. Until it is back, requests answer 503 and
/// readiness says so; crash recovery replays what was committed. A configured server is someone else's to run.
/// </summary>
public sealed class PostgresSupervisor(Database database, ILogger<PostgresSupervisor> log) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Local is not { } local) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(Poll, stoppingToken);
            if (local.IsRunning || local.Stopped) continue;
            log.LogWarning("PostgreSQL on port {Port} is not running; restarting it", local.Port);
            var backoff = TimeSpan.FromSeconds(1);
            for (var attempt = 1; !stoppingToken.IsCancellationRequested && !local.Stopped; attempt++)
            {
                try
                {
                    await local.RestartAsync(stoppingToken);
                    log.LogInformation("PostgreSQL restarted on port {Port} (attempt {Attempt})", local.Port, attempt);
                    break;
                }
                catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
                {
                    log.LogWarning("PostgreSQL did not restart (attempt {Attempt}); trying again in {Seconds} s: {Message}",
                        attempt, backoff.TotalSeconds, e.Message.Split('\n')[0]);
                    await Task.Delay(backoff, stoppingToken);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                }
            }
        }
    }

    // Stopping the host is not a failure to report.
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try { await base.StopAsync(cancellationToken); }
        catch (OperationCanceledException) { }
    }
}
