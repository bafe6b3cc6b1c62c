using Governance.Api.Features.Deployments;
using Governance.Api.Infrastructure;
using Marten;
using Marten.Services;
using Governance.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Governance.Api.Tests.Features;

/// <summary>
/// The tables every re-assessment rewrites carry the storage settings Marten's schema has no place for (lz4, early
/// vacuum, room for heap-only updates), set at start-up and put back if someone changed them.
/// </summary>
public sealed class StorageTuningTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private string ConnectionString => api.Host.Services.GetRequiredService<Database>().ConnectionString;

    [Fact]
    public async Task the_document_tables_a_reassessment_rewrites_compress_with_lz4_and_vacuum_early()
    {
        var view = await SettingsAsync("mt_doc_deploymentview");
        var state = await SettingsAsync("mt_doc_deploymentstate");
        var streams = await SettingsAsync("mt_streams");

        Assert.Equal("l", view.Compression);
        Assert.Equal("l", state.Compression);
        Assert.Contains("autovacuum_vacuum_scale_factor=0.02", view.Options);
        Assert.Contains("autovacuum_vacuum_scale_factor=0.02", state.Options);
        Assert.Contains("fillfactor=70", state.Options);
        Assert.Contains("fillfactor=70", view.Options);
        Assert.Contains("fillfactor=50", streams.Options);
        Assert.Contains("autovacuum_vacuum_scale_factor=0.02", streams.Options);
    }

    /// <summary>
    /// What the fill factors are for: a company change confirms most deployments' assessments, and each confirmation
    /// rewrites the stream row and both documents. With nothing indexed changing and room on the page, PostgreSQL keeps
    /// the new versions there and writes no index entry (a heap-only update); the search table is not touched at all.
    /// Counted in this test's own transaction, where PostgreSQL's per-transaction statistics are exact.
    /// </summary>
    [Fact]
    public async Task confirming_an_assessment_rewrites_the_stream_row_and_both_documents_without_touching_an_index()
    {
        var id = Guid.Parse((string)(await api.Post("/deployments", "architect", Requests.Deployment(name: "heap-only"))).Json["id"]!);
        var store = api.Host.Services.GetRequiredService<IDocumentStore>();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var session = store.LightweightSession(SessionOptions.ForTransaction(transaction)))
        {
            var state = await session.LoadAsync<DeploymentState>(id);
            session.Events.Append(id, new AssessmentConfirmed(id, state!.Assessment!.CatalogVersion, (state.Assessment.CompanyVersion ?? 0) + 1, "company-usage-reported",
                api.Clock.Today, Actor.System, api.Clock.GetUtcNow()));
            await session.SaveChangesAsync();
        }

        await using var count = new NpgsqlCommand(
            "select pg_stat_get_xact_tuples_updated(c.oid), pg_stat_get_xact_tuples_hot_updated(c.oid) from pg_class c " +
            "join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'governance' and c.relname = $1", connection, transaction);
        var parameter = count.Parameters.Add(new NpgsqlParameter());
        foreach (var (table, updates) in new[] { ("mt_streams", 1L), ("mt_doc_deploymentstate", 1L), ("mt_doc_deploymentview", 1L), ("mt_doc_deploymentsearch", 0L) })
        {
            parameter.Value = table;
            await using var reader = await count.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal((table, updates, updates), (table, reader.GetInt64(0), reader.GetInt64(1)));
        }
        await transaction.RollbackAsync();
    }

    [Fact]
    public async Task settings_changed_by_hand_are_put_back_at_the_next_start()
    {
        await ExecuteAsync("alter table governance.mt_doc_deploymentstate set (fillfactor = 100), alter column data set compression pglz");
        Assert.Equal("p", (await SettingsAsync("mt_doc_deploymentstate")).Compression);

        var tuning = api.Host.Services.GetServices<IHostedService>().OfType<StorageTuning>().Single();
        await tuning.StartAsync(CancellationToken.None);

        var state = await SettingsAsync("mt_doc_deploymentstate");
        Assert.Equal("l", state.Compression);
        Assert.Contains("fillfactor=70", state.Options);
        Assert.DoesNotContain("fillfactor=100", state.Options);
    }

    /// <summary>
    /// A database made before the view's indexes changed (UpdatedAt indexed as an expression over the JSON, the two
    /// versions an assessment was made under indexed) would never get heap-only updates of the view, since every update
    /// would change an indexed value. The start-up's schema check brings it to today's indexes.
    /// </summary>
    [Fact]
    public async Task indexes_an_older_schema_had_on_the_view_are_replaced_at_the_next_start()
    {
        await ExecuteAsync(
            "drop index governance.mt_doc_deploymentview_idx_updated_at; " +
            "create index mt_doc_deploymentview_idx_updated_at on governance.mt_doc_deploymentview ((data ->> 'UpdatedAt')); " +
            "create index mt_doc_deploymentview_idx_assessmentcatalog_version on governance.mt_doc_deploymentview (assessmentcatalog_version); " +
            "create index mt_doc_deploymentview_idx_assessmentcompany_version on governance.mt_doc_deploymentview (assessmentcompany_version)");

        await api.Host.Services.GetRequiredService<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        var indexes = await IndexesAsync("mt_doc_deploymentview");
        Assert.DoesNotContain(indexes, i => i.Name.Contains("version"));
        Assert.Contains(indexes, i => i.Name == "mt_doc_deploymentview_idx_updated_at" && i.Definition.EndsWith("(updated_at)"));
        Assert.DoesNotContain(indexes, i => i.Definition.Contains("data"));
    }

    /// <summary>
    /// The console's search (ilike '%…%' on names and model names) has trigram indexes in a table of its own, the view a
    /// btree on the name for the sort, and what start-up made is exactly what the configuration says: a replica starting
    /// beside a running one finds nothing to change (Weasel would otherwise drop and rebuild an index it reads back
    /// differently, at every start).
    /// </summary>
    [Fact]
    public async Task the_search_has_trigram_indexes_and_a_started_database_matches_the_configuration()
    {
        var search = await IndexesAsync("mt_doc_deploymentsearch");
        Assert.Contains(search, i => i.Definition.EndsWith("USING gin (name gin_trgm_ops)"));
        Assert.Contains(search, i => i.Definition.EndsWith("USING gin (model_name gin_trgm_ops)"));
        Assert.Contains(await IndexesAsync("mt_doc_deploymentview"), i => i.Definition.EndsWith("USING btree (name)"));

        await api.Host.Services.GetRequiredService<IDocumentStore>().Storage.Database.AssertDatabaseMatchesConfigurationAsync();
    }

    private async Task<List<(string Name, string Definition)>> IndexesAsync(string table)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select indexname, indexdef from pg_indexes where schemaname = 'governance' and tablename = $1", connection)
        {
            Parameters = { new() { Value = table } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        var indexes = new List<(string, string)>();
        while (await reader.ReadAsync()) indexes.Add((reader.GetString(0), reader.GetString(1)));
        return indexes;
    }

    private async Task<(string[] Options, string? Compression)> SettingsAsync(string table)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select c.reloptions, nullif(a.attcompression::text, '') from pg_class c join pg_namespace n on n.oid = c.relnamespace " +
            "left join pg_attribute a on a.attrelid = c.oid and a.attname = 'data' where n.nspname = 'governance' and c.relname = $1", connection)
        {
            Parameters = { new() { Value = table } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"{table} exists");
        return (reader.IsDBNull(0) ? [] : reader.GetFieldValue<string[]>(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
