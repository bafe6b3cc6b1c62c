using Governance.Api.Infrastructure;
using Governance.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Governance.Api.Tests.Features.Reassessment;

/// <summary>
/// A deployment the decider cannot handle holds up nothing: the run passes it over, counts and names it, and finishes;
/// the next change is not stuck behind it. Its own database: the damaged deployment stays outdated on purpose.
/// </summary>
public sealed class ReassessmentFailureTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task a_deployment_that_cannot_be_decided_is_passed_over_counted_and_named_and_the_run_finishes()
    {
        await api.Put("/company/rules", "legal", ReassessmentTests.NoRules);
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
            ids.Add((string)(await api.Post("/deployments", "architect", Requests.Deployment(name: $"poison-{i}"))).Json["id"]!);
        await api.SettleAsync();
        // Damaged outside Governance (a hand edit, a restore gone wrong): the write model has lost its model facts.
        var damaged = ids[2];
        await using (var connection = new NpgsqlConnection(api.Host.Services.GetRequiredService<Database>().ConnectionString))
        {
            await connection.OpenAsync();
            await using var edit = new NpgsqlCommand("update governance.mt_doc_deploymentstate set data = jsonb_set(data, '{model}', 'null') where id = $1", connection)
            {
                Parameters = { new() { Value = Guid.Parse(damaged) } },
            };
            Assert.Equal(1, await edit.ExecuteNonQueryAsync());
        }

        var change = await api.Put("/company/rules", "legal", ReassessmentTests.DenyUs);
        await api.SettleAsync();

        var run = (await api.Get((string)change.Json["reassessment"]!["href"]!, "auditor")).Json;
        Assert.True((string?)run["status"] == "finished", run.ToJsonString());
        Assert.True((int)run["failed"]! == 1, run.ToJsonString());
        Assert.Equal(damaged, (string?)run["failures"]![0]!["deploymentId"]);
        Assert.StartsWith("NullReferenceException: ", (string?)run["failures"]![0]!["error"]);
        Assert.Equal(ids.Count, (int)run["done"]!);
        foreach (var id in ids.Where(id => id != damaged))
            Assert.Equal("non_compliant", (string?)(await api.Get($"/deployments/{id}", "auditor")).Json["assessment"]!["verdict"]);
        var outdated = await api.Get("/deployments?outdated=true", "auditor");
        Assert.Equal([damaged], outdated.Json["items"]!.AsArray().Select(d => (string)d!["id"]!));

        // The next change is not held up behind it either.
        var next = await api.Put("/company/rules", "legal", ReassessmentTests.NoRules);
        await api.SettleAsync();
        var second = (await api.Get((string)next.Json["reassessment"]!["href"]!, "auditor")).Json;
        Assert.Equal(("finished", 1), ((string?)second["status"], (int)second["failed"]!));
    }
}
