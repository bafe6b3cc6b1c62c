using System.Diagnostics;
using Governance.Api;
using Governance.Api.Infrastructure;
using Governance.Api.Tests.Infrastructure;

namespace Governance.Benchmarks;

/// <summary>
/// Mass re-assessments alone, with where their CPU goes: seeds N deployments through the real Api, then alternates the
/// rule change that alters 40% of verdicts with its reverse, and for each run prints its time and the CPU the Api and
/// PostgreSQL spent per deployment (from /proc). The scale command measures everything else; this one is for the run.
/// </summary>
internal static class Reassess
{
    public static async Task<int> RunAsync(string[] args)
    {
        var n = Bench.Option(args, "--deployments", 10_000);
        var runs = Bench.Option(args, "--runs", 4);
        Console.WriteLine(Bench.Machine);
        await using var deployment = await Bench.StartAsync("scale", Bench.Text(args, "--connection-options"));
        var (postgres, api) = (deployment.Postgres, deployment.Api);
        if (Bench.Text(args, "--api-log") is { } apiLog) api.LogTo(apiLog);

        Scale.Check(await api.Put("/company/rules", Role.Legal, Scale.NoRules), 200);
        await Scale.SeedAsync(api, n, concurrency: 8);

        for (var i = 0; i < runs; i++)
        {
            var (apiBefore, pgBefore, idleBefore) = (CpuSeconds(api.ProcessId, children: false), PostgresCpuSeconds(postgres), IdleSeconds());
            var kindsBefore = PostgresCpuByKind(postgres);
            var updatesBefore = await UpdatesAsync(deployment.ConnectionString);
            var run = await Scale.FinishedAsync(api, (string)Scale.Check(await api.Put("/company/rules", Role.Legal, i % 2 == 0 ? Scale.DenyUs : Scale.NoRules), 200)
                .Json["reassessment"]!["href"]!);
            var (apiCpu, pgCpu, idle) = (CpuSeconds(api.ProcessId, children: false) - apiBefore, PostgresCpuSeconds(postgres) - pgBefore, IdleSeconds() - idleBefore);
            var done = (int)run["done"]!;
            var kinds = PostgresCpuByKind(postgres);
            Console.WriteLine("  PostgreSQL CPU by process: " + string.Join(", ", kinds.Select(k => $"{k.Key} {(k.Value - kindsBefore.GetValueOrDefault(k.Key)) * 1000 / done:0.000} ms")));
            var updates = await UpdatesAsync(deployment.ConnectionString);
            Console.WriteLine("  row updates that were heap-only (no index entries): " + string.Join(", ", updates.Select(u =>
            {
                var (all, hot) = (u.Value.All - updatesBefore.GetValueOrDefault(u.Key).All, u.Value.Hot - updatesBefore.GetValueOrDefault(u.Key).Hot);
                return $"{u.Key} {hot:N0} of {all:N0} ({(all == 0 ? 0 : 100.0 * hot / all):0}%), {u.Value.BytesPerRow:N0} B per live row";
            })));
            var seconds = Scale.Seconds(run);
            Console.WriteLine($"run {i + 1}: {done:N0} deployments, {(int)run["verdictsChanged"]!:N0} verdicts changed, {seconds:0.0} s = {seconds * 1000 / done:0.000} ms per deployment; " +
                              $"queued → started {((DateTimeOffset)run["startedAt"]! - (DateTimeOffset)run["queuedAt"]!).TotalSeconds:0.0} s; CPU per deployment: Api {apiCpu * 1000 / done:0.000} ms, PostgreSQL {pgCpu * 1000 / done:0.000} ms; machine idle {idle:0.0} core-s");
        }
        return 0;
    }

    /// <summary>
    /// Updates and heap-only updates of the tables a run rewrites, since the server started (PostgreSQL's statistics), and
    /// the heap's bytes per live row: a heap-only update writes no index entry but needs room on the row's page.
    /// </summary>
    private static async Task<Dictionary<string, (long All, long Hot, long BytesPerRow)>> UpdatesAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "select relname, n_tup_upd, n_tup_hot_upd, pg_relation_size(relid) / greatest(n_live_tup, 1) from pg_stat_user_tables " +
            "where schemaname = 'governance' and relname in ('mt_doc_deploymentview', 'mt_doc_deploymentstate', 'mt_streams') order by relname", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var updates = new Dictionary<string, (long, long, long)>();
        while (await reader.ReadAsync()) updates[reader.GetString(0).Replace("mt_doc_", "")] = (reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        return updates;
    }

    private const double Tick = 100.0; // USER_HZ: /proc reports CPU time in 1/100 s on Linux

    /// <summary>User and system CPU of a process (and, with <paramref name="children"/>, of its exited children it reaped).</summary>
    private static double CpuSeconds(int pid, bool children)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // after "pid (comm) ": field 3 (state) is fields[0]
            var ticks = long.Parse(fields[11]) + long.Parse(fields[12]) + (children ? long.Parse(fields[13]) + long.Parse(fields[14]) : 0);
            return ticks / Tick;
        }
        catch (IOException) { return 0; } // exited between listing and reading
    }

    /// <summary>The postmaster, its live backends, and the backends that already exited (reaped into the postmaster's children time).</summary>
    private static double PostgresCpuSeconds(LocalPostgres postgres)
    {
        var postmaster = postgres.PostmasterPid ?? throw new InvalidOperationException("PostgreSQL is not running.");
        var total = CpuSeconds(postmaster, children: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && ParentOf(pid) == postmaster) total += CpuSeconds(pid, children: false);
        return total;
    }

    /// <summary>
    /// PostgreSQL's CPU by what each process is (its title: a client backend, the WAL writer, the checkpointer, an
    /// autovacuum worker); "exited" is processes that ended since the server started (mostly autovacuum workers).
    /// </summary>
    private static Dictionary<string, double> PostgresCpuByKind(LocalPostgres postgres)
    {
        var postmaster = postgres.PostmasterPid ?? throw new InvalidOperationException("PostgreSQL is not running.");
        var kinds = new Dictionary<string, double> { ["exited"] = CpuSeconds(postmaster, children: true) - CpuSeconds(postmaster, children: false) };
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && ParentOf(pid) == postmaster)
            {
                string title;
                try { title = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim(); } catch (IOException) { continue; }
                var kind = title.StartsWith("postgres: ") ? title[10..] : title;
                kind = kind.Contains("127.0.0.1") || kind.Contains("[local]") ? "client backends" : kind.Split(' ')[0] + (kind.StartsWith("autovacuum") ? " " + kind.Split(' ')[1] : "");
                kinds[kind] = kinds.GetValueOrDefault(kind) + CpuSeconds(pid, children: false);
            }
        return kinds;
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
        catch (IOException) { return -1; }
    }

    private static double IdleSeconds() => long.Parse(File.ReadAllLines("/proc/stat")[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[4]) / Tick;
}
