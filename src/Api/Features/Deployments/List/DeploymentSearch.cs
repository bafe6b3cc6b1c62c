using Governance.Api.Infrastructure;
using Marten;
using Marten.Linq.MatchesSql;

namespace Governance.Api.Features.Deployments.List;

/// <summary>
/// What the console's search reads: a deployment's name and model name, in a table of their own with trigram indexes
/// (pg_trgm, GIN), which serve <c>ilike '%…%'</c>. Not on <see cref="DeploymentView"/>: a re-assessment rewrites every
/// view row, and each rewrite that cannot stay on its page (a verdict that changes) writes an entry in every index of the
/// row, about 45 for two trigram indexes; on the view they made a mass re-assessment 10–15% slower
/// (docs/performance.md, "Search"). Kept by an inline projection of the registration alone, so no later event touches it.
/// </summary>
public sealed record DeploymentSearch(Guid Id, string Name, string ModelName)
{
    /// <summary>The table, for the one query that reads it (Marten names it from the type, in the store's schema).</summary>
    public const string Table = MartenSetup.Schema + ".mt_doc_deploymentsearch";

    public static DeploymentSearch Create(DeploymentRegistered e) => new(e.DeploymentId, e.Name, e.Model.Name);

    /// <summary>The deployments whose name or model name contains <paramref name="text"/>, any case; <c>%</c>, <c>_</c> and <c>\</c> match themselves.</summary>
    public static IQueryable<DeploymentView> Matching(IQueryable<DeploymentView> query, string text)
    {
        var pattern = "%" + text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
        return query.Where(d => d.MatchesSql($"d.id in (select s.id from {Table} s where s.name ilike ? or s.model_name ilike ?)", pattern, pattern));
    }
}

/// <summary>
/// Fills <see cref="DeploymentSearch"/> for deployments registered before it existed (the projection only sees new
/// registrations), from their views, a page at a time, at start-up. Idempotent: replicas starting together write the
/// same documents.
/// </summary>
public sealed class DeploymentSearchBackfill(IDocumentStore store, ILogger<DeploymentSearchBackfill> log) : IHostedService
{
    private const int Page = 1_000;

    public async Task StartAsync(CancellationToken ct)
    {
        var filled = 0;
        while (true)
        {
            await using var session = store.LightweightSession();
            var missing = await session.Query<DeploymentView>()
                .Where(d => d.MatchesSql($"not exists (select 1 from {DeploymentSearch.Table} s where s.id = d.id)"))
                .Select(d => new { d.Id, d.Name, ModelName = d.Model.Name })
                .Take(Page).ToListAsync(ct);
            if (missing.Count == 0) break;
            session.Store(missing.Select(d => new DeploymentSearch(d.Id, d.Name, d.ModelName)).ToArray());
            await session.SaveChangesAsync(ct);
            filled += missing.Count;
        }
        if (filled > 0) log.LogInformation("Search entries written for {Count} deployment(s) registered before the search had its own table", filled);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
