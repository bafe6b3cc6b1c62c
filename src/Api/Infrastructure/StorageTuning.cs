using Npgsql;

namespace Governance.Api.Infrastructure;

/// <summary>
/// Storage settings Marten's schema has no place for, on the tables every re-assessment rewrites (one row per
/// deployment in each document table, one stream row), applied once the schema is in place. Why each one, with the
/// figures: docs/performance.md, "Storage after mass re-assessments".
/// <list type="bullet">
/// <item>lz4 instead of pglz for the JSON documents PostgreSQL compresses (about 2 KB each): the same size on disk,
/// a third less time in each upsert.</item>
/// <item>Vacuum after 2% of the rows changed instead of 20%: a re-assessment rewrites every row, and the dead versions
/// it leaves are only reused once vacuum has marked them free.</item>
/// <item>Room on every page (fill factor 70 on the two documents, whose rows are about 1.5 KB, and 50 on the small
/// stream rows): a re-assessment that changes no indexed column (most of a company change's are confirmations) then
/// keeps the new version of each row on its page, a heap-only update that writes no index entry, and the next visit to
/// the page reclaims the old one without waiting for vacuum. At 10,000 this made 99% of the state's, 100% of the
/// stream rows' and 58–59% of the view's updates heap-only (of at most 60%: the rest changed verdict); it costs about a quarter more space at seeding.</item>
/// </list>
/// Only what differs is altered, so a replica starting beside a running one takes no lock. A server built without lz4
/// keeps pglz, and the log says so.
/// </summary>
public sealed class StorageTuning(Database database, ILogger<StorageTuning> log) : IHostedService
{
    private static readonly (string Table, string[] Options, bool Lz4)[] Tables =
    [
        ("mt_doc_deploymentview", ["fillfactor=70", "autovacuum_vacuum_scale_factor=0.02", "autovacuum_analyze_scale_factor=0.05"], true),
        ("mt_doc_deploymentstate", ["fillfactor=70", "autovacuum_vacuum_scale_factor=0.02", "autovacuum_analyze_scale_factor=0.05"], true),
        ("mt_streams", ["fillfactor=50", "autovacuum_vacuum_scale_factor=0.02"], false),
    ];

    public async Task StartAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(ct);
        foreach (var (table, wanted, lz4) in Tables)
        {
            await using var read = new NpgsqlCommand(
                "select c.reloptions, a.attcompression::text from pg_class c join pg_namespace n on n.oid = c.relnamespace " +
                "left join pg_attribute a on a.attrelid = c.oid and a.attname = 'data' where n.nspname = $1 and c.relname = $2", connection)
            {
                Parameters = { new() { Value = MartenSetup.Schema }, new() { Value = table } },
            };
            string[] options;
            string? compression;
            await using (var reader = await read.ExecuteReaderAsync(ct))
            {
                if (!await reader.ReadAsync(ct)) continue; // Marten's start-up work, registered before this, creates them all
                options = reader.IsDBNull(0) ? [] : reader.GetFieldValue<string[]>(0);
                compression = reader.IsDBNull(1) ? null : reader.GetString(1);
            }
            var missing = wanted.Except(options).ToArray();
            if (missing.Length > 0) await AlterAsync(connection, $"alter table {MartenSetup.Schema}.{table} set ({string.Join(", ", missing)})", ct);
            if (lz4 && compression != "l" && !await AlterAsync(connection, $"alter table {MartenSetup.Schema}.{table} alter column data set compression lz4", ct))
                log.LogWarning("PostgreSQL has no lz4 compression; {Table} keeps pglz (slower writes, docs/performance.md)", table);
        }
    }

    private static async Task<bool> AlterAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        try
        {
            await using var alter = new NpgsqlCommand(sql, connection);
            await alter.ExecuteNonQueryAsync(ct);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.FeatureNotSupported)
        {
            return false;
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
