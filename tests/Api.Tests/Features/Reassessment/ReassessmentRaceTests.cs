using Governance.Api.Features.Assessing;
using Governance.Api.Features.Deployments;
using Governance.Api.Infrastructure;
using Governance.Api.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Governance.Api.Tests.Features.Reassessment;

/// <summary>
/// A run keeps two batches in flight (one written while the next is prepared) and commits them in order. The hard case,
/// made deterministic: a deployment of the second batch is written while that batch is being saved. This test's own
/// transaction holds the stream row of the batch's first deployment; once the batch waits on it and the third batch has
/// been written behind it, a scanner leases another deployment of the second batch, and the row is let go.
/// </summary>
public sealed class ReassessmentRaceTests : IAsyncLifetime
{
    private const int BatchSize = 5;
    private static readonly object DenyUs = new { residency = Array.Empty<object>(), deniedOrigins = new[] { "US" }, attestationRequired = false };
    private static readonly object NoRules = new { residency = Array.Empty<object>(), deniedOrigins = Array.Empty<string>(), attestationRequired = false };

    private readonly ApiFixture _api = new() { Settings = new Dictionary<string, string> { ["Governance:Reassessment:BatchSize"] = BatchSize.ToString() } };

    public Task InitializeAsync() => _api.InitializeAsync();

    public Task DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public async Task a_batch_that_loses_a_race_is_redone_one_by_one_and_the_batch_prepared_behind_it_never_commits_before_it()
    {
        var inOrder = await RegisterAsync("race");
        var (held, raced) = (inOrder[BatchSize], inOrder[BatchSize + 2]);
        var third = inOrder.Skip(2 * BatchSize).Take(BatchSize).ToList();

        var store = _api.Host.Services.GetRequiredService<IDocumentStore>();
        var connectionString = _api.Host.Services.GetRequiredService<Database>().ConnectionString;
        var (holder, transaction) = await HoldStreamRowAsync(connectionString, held);
        await using var _ = holder;

        var change = await _api.Put("/company/rules", "legal", DenyUs);
        var companyVersion = (long)change.Json["company"]!["version"]!;
        // The second batch waits on the held row; the third is written behind it and waits (idle in its transaction) for it to commit.
        await WaitAsync(connectionString, "select count(*) filter (where wait_event_type = 'Lock') >= 1 and count(*) filter (where state = 'idle in transaction') >= 2 " +
                                          "from pg_stat_activity where datname = current_database()");
        foreach (var id in third)
            Assert.NotEqual(companyVersion, (long?)(await _api.Get($"/deployments/{id}", "auditor")).Json["assessment"]!["companyVersion"]);

        // A scanner leases a deployment of the second batch meanwhile: its version moves past the one the batch read.
        await using (var session = store.LightweightSession())
        {
            session.Events.Append(raced, new ScanLeased(raced, Guid.NewGuid(), _api.Clock.GetUtcNow().AddHours(1), new Actor("race-scanner", "Race scanner", "scanner"), _api.Clock.GetUtcNow()));
            await session.SaveChangesAsync();
        }
        await transaction.RollbackAsync();
        await _api.SettleAsync();

        var run = (await _api.Get((string)change.Json["reassessment"]!["href"]!, "auditor")).Json;
        Assert.Equal(("finished", 4 * BatchSize, 4 * BatchSize, 4 * BatchSize),
            ((string?)run["status"], (int)run["done"]!, (int)run["changed"]!, (int)run["verdictsChanged"]!));
        foreach (var id in inOrder)
        {
            var trail = (await _api.Get($"/deployments/{id}/events", "auditor")).Json["events"]!.AsArray()
                .Select(e => ((string?)e!["type"], (string?)e["data"]!["trigger"], (long?)e["data"]!["companyVersion"])).ToList();
            // Assessed once by the run, whichever batch or retry did it.
            Assert.Single(trail, e => e == ("deployment_assessed", "company-rules-adopted", companyVersion));
            if (id == raced)
                Assert.True(trail.FindIndex(e => e.Item1 == "scan_leased") < trail.FindIndex(e => e.Item3 == companyVersion),
                    "the raced deployment was re-assessed after the lease, from its state at that version");
        }
    }

    [Fact]
    public async Task convergence_leaves_to_the_run_a_deployment_whose_company_changed_after_it_looked()
    {
        var inOrder = await RegisterAsync("converge");
        var (held, late) = (inOrder[BatchSize], inOrder[^1]);

        var store = _api.Host.Services.GetRequiredService<IDocumentStore>();
        var services = _api.Host.Services;
        AssessmentBasis before;
        await using (var query = store.QuerySession())
            before = await AssessmentBasis.LoadAsync(query, services.GetRequiredService<PolicySet>(), CancellationToken.None);

        // The run stops at the second batch (its first stream row is held here), so the last batch is not reached yet.
        var connectionString = services.GetRequiredService<Database>().ConnectionString;
        var (holder, transaction) = await HoldStreamRowAsync(connectionString, held);
        await using var _ = holder;
        var change = await _api.Put("/company/rules", "legal", DenyUs);
        var companyVersion = (long)change.Json["company"]!["version"]!;
        await WaitAsync(connectionString, "select count(*) filter (where wait_event_type = 'Lock') >= 1 from pg_stat_activity where datname = current_database()");

        // Convergence that decided against the company before the change (no run would reach the deployment then) finds
        // the company changed since: the new change's run reaches it, so it is not re-assessed here, one by one.
        Assert.False(await services.GetRequiredService<Governance.Api.Features.Reassessment.Reassessor>().ConvergeOneAsync(store, late, before, CancellationToken.None));
        await transaction.RollbackAsync();
        await _api.SettleAsync();

        var run = (await _api.Get((string)change.Json["reassessment"]!["href"]!, "auditor")).Json;
        Assert.Equal(("finished", 4 * BatchSize, 4 * BatchSize), ((string?)run["status"], (int)run["done"]!, (int)run["verdictsChanged"]!));
        var trail = (await _api.Get($"/deployments/{late}/events", "auditor")).Json["events"]!.AsArray()
            .Where(e => (long?)e!["data"]!["companyVersion"] == companyVersion).Select(e => ((string?)e!["type"], (string?)e["data"]!["trigger"])).ToList();
        Assert.Equal([("deployment_assessed", "company-rules-adopted")], trail);
    }

    /// <summary>Four batches of deployments whose origin a rule can deny, in the order a run goes (PostgreSQL orders uuids as their text does).</summary>
    private async Task<List<Guid>> RegisterAsync(string prefix)
    {
        await _api.Put("/company/rules", "legal", NoRules);
        var ids = new List<Guid>();
        for (var i = 0; i < 4 * BatchSize; i++)
            ids.Add(Guid.Parse((string)(await _api.Post("/deployments", "architect", Requests.Deployment(name: $"{prefix}-{i}", origin: "US"))).Json["id"]!));
        await _api.SettleAsync();
        return ids.OrderBy(id => id.ToString(), StringComparer.Ordinal).ToList();
    }

    /// <summary>Locks a deployment's stream row in a transaction of this test's own, until the test rolls it back.</summary>
    private static async Task<(NpgsqlConnection Holder, NpgsqlTransaction Transaction)> HoldStreamRowAsync(string connectionString, Guid id)
    {
        var holder = new NpgsqlConnection(connectionString);
        await holder.OpenAsync();
        var transaction = await holder.BeginTransactionAsync();
        await using var hold = new NpgsqlCommand("select version from governance.mt_streams where id = $1 for update", holder, transaction);
        hold.Parameters.Add(new NpgsqlParameter { Value = id });
        await hold.ExecuteScalarAsync();
        return (holder, transaction);
    }

    private static async Task WaitAsync(string connectionString, string condition)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using var command = new NpgsqlCommand(condition, connection);
            if ((bool)(await command.ExecuteScalarAsync())!) return;
            Assert.True(DateTime.UtcNow < deadline, $"not within 60 s: {condition}");
            await Task.Delay(20);
        }
    }
}
