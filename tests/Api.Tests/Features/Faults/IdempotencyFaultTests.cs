using Governance.Api.Infrastructure;
using Governance.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Governance.Api.Tests.Features.Faults;

/// <summary>
/// A write sent with an Idempotency-Key commits its events and its stored response together, or neither: whatever
/// breaks between them (the response cannot be stored, the connection is killed), the key is never left half-way, and
/// a retry with it ends with the original outcome.
/// </summary>
public sealed class IdempotencyFaultTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private string ConnectionString => api.Host.Services.GetRequiredService<Database>().ConnectionString;

    [Theory]
    // The stored response is refused by the database after the events were written in the same transaction.
    [InlineData("refused", "raise exception 'response storage refused by test'")]
    // The connection is killed at that moment: the commit never happens and the Api cannot know more than that.
    [InlineData("killed", "perform pg_terminate_backend(pg_backend_pid())")]
    public async Task when_the_response_cannot_be_stored_nothing_is_recorded_and_a_retry_with_the_key_records_it_once(string fault, string action)
    {
        var name = $"idempotent-{fault}";
        var key = Headers(Guid.NewGuid().ToString());
        await FailStoredResponsesAsync(action);
        Reply failed;
        try { failed = await api.Post("/deployments", "architect", Requests.Deployment(name: name), key); }
        finally { await ExecuteAsync("drop trigger if exists fail_responses on governance.mt_doc_idempotencyrecord"); }

        Assert.True(failed.Status is 500 or 503, failed.ToString());
        Assert.Equal("application/problem+json", failed.ContentType);
        Assert.DoesNotContain("nothing was recorded", failed.Text);
        Assert.Equal(0, await CountAsync(name));

        var retried = await api.Post("/deployments", "architect", Requests.Deployment(name: name), key);
        Assert.Equal(201, retried.Status);
        var again = await api.Post("/deployments", "architect", Requests.Deployment(name: name), key);
        Assert.Equal((201, retried.Text), (again.Status, again.Text));
        Assert.Equal(1, await CountAsync(name));
    }

    [Fact]
    public async Task a_keyed_lease_whose_response_cannot_be_stored_leases_nothing_and_its_retry_leases_once()
    {
        var id = (string)(await api.Post("/deployments", "architect", Requests.Deployment(name: "lease-me"))).Json["id"]!;
        var approved = await api.Post($"/deployments/{id}/decision", "legal", new { decision = "approve", justification = "Pending the scan." });
        Assert.Equal(200, approved.Status);
        var key = Headers(Guid.NewGuid().ToString());

        await FailStoredResponsesAsync("raise exception 'response storage refused by test'");
        Reply failed;
        try { failed = await api.Post("/scans/lease", "scanner", new { }, key); }
        finally { await ExecuteAsync("drop trigger if exists fail_responses on governance.mt_doc_idempotencyrecord"); }
        Assert.True(failed.Status >= 500, failed.ToString());
        Assert.Equal(0, await LeasesAsync(id));

        var leased = await api.Post("/scans/lease", "scanner", new { }, key);
        var replayed = await api.Post("/scans/lease", "scanner", new { }, key);
        Assert.Equal(200, leased.Status);
        Assert.Equal(id, (string?)leased.Json["deploymentId"]);
        Assert.Equal((200, leased.Text), (replayed.Status, replayed.Text));
        Assert.Equal(1, await LeasesAsync(id));
    }

    [Fact]
    public async Task keyed_leases_asked_at_once_each_get_their_own_deployment()
    {
        // Both see the same oldest candidate; the loser's lease is undone to its savepoint inside its transaction and it
        // takes the next one, so neither answer is a 409 nor a 500.
        var ids = new List<string>();
        foreach (var name in new[] { "lease-race-1", "lease-race-2", "lease-race-3" })
        {
            var id = (string)(await api.Post("/deployments", "architect", Requests.Deployment(name: name))).Json["id"]!;
            Assert.Equal(200, (await api.Post($"/deployments/{id}/decision", "legal", new { decision = "approve", justification = "Pending the scan." })).Status);
            ids.Add(id);
        }
        var leases = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => api.Post("/scans/lease", "scanner", new { }, Headers(Guid.NewGuid().ToString()))));

        Assert.All(leases, l => Assert.Equal(200, l.Status));
        Assert.Equal(ids.Order(), leases.Select(l => (string)l.Json["deploymentId"]!).Order());
        foreach (var id in ids) Assert.Equal(1, await LeasesAsync(id));
    }

    [Fact]
    public async Task concurrent_requests_with_one_key_record_once_and_all_answer_the_original()
    {
        var key = Headers(Guid.NewGuid().ToString());
        var replies = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => api.Post("/deployments", "architect", Requests.Deployment(name: "one-key-many-callers"), key)));

        Assert.All(replies, r => Assert.Equal(201, r.Status));
        Assert.Single(replies.Select(r => r.Text).Distinct());
        Assert.Equal(1, await CountAsync("one-key-many-callers"));
    }

    [Fact]
    public async Task a_refused_request_leaves_its_key_free_for_a_corrected_retry()
    {
        var key = Headers(Guid.NewGuid().ToString());
        var id = (string)(await api.Post("/deployments", "architect", Requests.Deployment(name: "refused-then-fixed"))).Json["id"]!;
        Assert.Equal(200, (await api.Post($"/deployments/{id}/retire", "legal", new { reason = "Replaced." }, key)).Status);
        // A different request (same route template, other deployment) refused with 409 is not remembered under its key.
        var other = (string)(await api.Post("/deployments", "architect", Requests.Deployment(name: "refused-other"))).Json["id"]!;
        var refusedKey = Headers(Guid.NewGuid().ToString());
        Assert.Equal(409, (await api.Post($"/deployments/{id}/usage", "architect", new { monthlyActiveUsers = 5 }, refusedKey)).Status);
        Assert.Equal(200, (await api.Post($"/deployments/{other}/usage", "architect", new { monthlyActiveUsers = 5 }, refusedKey)).Status);
    }

    [Fact]
    public async Task a_key_left_without_its_response_by_an_earlier_version_answers_for_good_not_in_progress()
    {
        // Versions before this one stored the key with the events and the response after them; a crash in between left this.
        var key = Guid.NewGuid().ToString();
        var body = System.Text.Json.JsonSerializer.Serialize(Requests.Deployment(name: "legacy-reservation"), Json.Options);
        var requestHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(body)));
        // The subject ApiFixture.Token("architect") carries, as the middleware scopes keys by it.
        const string subject = "architect:test.architect";
        var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{subject}\n/deployments\n{key}")));
        await using (var session = api.Host.Services.GetRequiredService<Marten.IDocumentStore>().LightweightSession())
        {
            session.Store(new IdempotencyRecord { Id = id, RequestHash = requestHash, Completed = false, CreatedAt = api.Clock.GetUtcNow() });
            await session.SaveChangesAsync();
        }

        var first = await api.Send(HttpMethod.Post, "/deployments", "architect", body, Headers(key));
        var second = await api.Send(HttpMethod.Post, "/deployments", "architect", body, Headers(key));
        Assert.Equal(409, first.Status);
        Assert.Equal("Request recorded, response lost", (string?)first.Json["title"]);
        Assert.Equal((409, "Request recorded, response lost"), (second.Status, (string?)second.Json["title"]));
        Assert.Equal(0, await CountAsync("legacy-reservation"));
    }

    private static Dictionary<string, string> Headers(string key) => new() { ["Idempotency-Key"] = key };

    private Task FailStoredResponsesAsync(string action) => ExecuteAsync($"""
        create or replace function governance.fail_responses() returns trigger language plpgsql as $$
        begin
          if new.data->>'completed' = 'true' then {action}; end if;
          return new;
        end $$;
        drop trigger if exists fail_responses on governance.mt_doc_idempotencyrecord;
        create trigger fail_responses before insert or update on governance.mt_doc_idempotencyrecord
          for each row execute function governance.fail_responses();
        """);

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> LeasesAsync(string deploymentId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from governance.mt_events where stream_id = $1::uuid and type like '%lease%'", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = deploymentId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> CountAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from governance.mt_doc_deploymentview where data->>'name' = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
