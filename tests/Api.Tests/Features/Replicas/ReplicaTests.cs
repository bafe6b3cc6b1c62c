using System.Diagnostics;
using Governance.Api.Tests.Infrastructure;
using Npgsql;

namespace Governance.Api.Tests.Features.Replicas;

/// <summary>
/// Two Api processes on one database, as two replicas behind a load balancer: everything they share lives in
/// PostgreSQL (signing key by configuration, idempotency records, leases, background runs), and Marten's async
/// daemon runs the background work on one of them at a time. The first replica started is the daemon's leader; it is
/// killed in the middle of a re-assessment and the other finishes the run without losing or repeating a deployment.
/// </summary>
public sealed class ReplicaTests
{
    private const int BatchSize = 20;
    private static readonly object DenyUs = new { residency = Array.Empty<object>(), deniedOrigins = new[] { "US" }, attestationRequired = false };
    private static readonly object NoRules = new { residency = Array.Empty<object>(), deniedOrigins = Array.Empty<string>(), attestationRequired = false };

    [Fact]
    public async Task a_second_replica_reads_what_the_first_wrote_and_finishes_the_re_assessment_the_first_was_killed_in()
    {
        var database = await PostgresServer.CreateDatabaseAsync("replicas");
        // Small batches with a pause between them, so the run is still going when its replica is killed.
        var settings = new Dictionary<string, string>
        {
            ["Governance:Reassessment:BatchSize"] = BatchSize.ToString(),
            ["Governance:Reassessment:PauseBetweenBatchesMs"] = "150",
        };
        await using var first = await ApiProcess.StartAsync(database, ApiFixture.SigningKey, settings);
        await using var second = await ApiProcess.StartAsync(database, ApiFixture.SigningKey, settings);

        // Written through one, read back through the other at once; a retried request answered by the other replica.
        Assert.Equal(200, (await first.Put("/company/rules", "legal", NoRules)).Status);
        var created = await first.Post("/deployments", "architect", Requests.Deployment(name: "replica-read-back"));
        Assert.Equal(201, created.Status);
        var readBack = await second.Get($"/deployments/{(string)created.Json["id"]!}", "auditor");
        Assert.Equal((200, created.ETag), (readBack.Status, readBack.ETag));
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = Guid.NewGuid().ToString() };
        var original = await first.Post("/deployments", "architect", Requests.Deployment(name: "replica-idempotent"), key);
        var retried = await second.Post("/deployments", "architect", Requests.Deployment(name: "replica-idempotent"), key);
        Assert.Equal((201, (string?)original.Json["id"]), (retried.Status, (string?)retried.Json["id"]));

        // A portfolio written through both, half of it from US origins, which the next rules deny.
        var replicas = new[] { first, second };
        await Parallel.ForEachAsync(Enumerable.Range(0, 298), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var reply = await replicas[i % 2].Post("/deployments", "architect", Requests.Deployment(name: $"replica-{i:D3}", origin: i % 2 == 0 ? "US" : "FR"));
            Assert.True(reply.Status == 201, reply.ToString());
        });
        // Settled: none outdated, and the first rules' run finished. A run still going would assess the deployments it
        // has not reached yet under the rules in force when it reaches them, the next ones, and the next run would
        // then find them changed already (its tally below counts what it changed itself).
        await WaitAsync(second, async () => (await second.Get("/deployments?outdated=true", "auditor")).Json["total"]!.GetValue<long>() == 0
            && (await second.Get("/reassessments", "auditor")).Json.AsArray().All(r => (string?)r!["status"] is "finished" or "superseded"),
            "the registrations settle under the first rules");

        var change = await second.Put("/company/rules", "legal", DenyUs);
        Assert.Equal(200, change.Status);
        var href = (string)change.Json["reassessment"]!["href"]!;
        var companyVersion = (long)change.Json["company"]!["version"]!;

        // The first replica started first and holds the daemon's leadership: kill it once the run has done two batches.
        await WaitAsync(second, async () => (int)(await second.Get(href, "auditor")).Json["done"]! >= 2 * BatchSize, "the run gets going");
        first.Kill();
        var atKill = (await second.Get(href, "auditor")).Json;
        Assert.True((string?)atKill["status"] == "running" && (int)atKill["done"]! < (int)atKill["total"]!, $"the kill came mid-run: {atKill}");

        await WaitAsync(second, async () => (string?)(await second.Get(href, "auditor")).Json["status"] == "finished", "the second replica finishes the run",
            TimeSpan.FromMinutes(3));
        var run = (await second.Get(href, "auditor")).Json;
        Assert.Equal(300, (int)run["total"]!);
        Assert.Equal(300, (int)run["done"]!);
        // US origins, which the new rules deny: the first two (the default origin) and every other one of the 298.
        Assert.Equal(2 + 149, (int)run["verdictsChanged"]!);
        Assert.Equal(0L, (long)(await second.Get("/deployments?outdated=true", "auditor")).Json["total"]!);
        Assert.Equal(300L, (long)(await second.Get("/deployments", "auditor")).Json["total"]!);

        // Exactly once: every deployment has one assessment (new or confirmed) under the new company version, none two.
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            select count(distinct stream_id), count(*) from governance.mt_events
            where type in ('deployment_assessed', 'assessment_confirmed') and (data ->> 'companyVersion')::bigint = $1
            """, connection) { Parameters = { new() { Value = companyVersion } } };
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal((300L, 300L), (reader.GetInt64(0), reader.GetInt64(1)));
    }

    /// <summary>Polls the condition through a replica, against the real clock: the processes keep their own time.</summary>
    private static async Task WaitAsync(ApiProcess api, Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > (timeout ?? TimeSpan.FromSeconds(90)))
                throw new TimeoutException($"Waited {clock.Elapsed.TotalSeconds:0} s for {what}. The replica said:\n{api.Output[^Math.Min(api.Output.Length, 4000)..]}");
            await Task.Delay(50);
        }
    }
}
