using System.Diagnostics;
using Governance.Api.Tests.Infrastructure;
using Npgsql;

namespace Governance.Api.Tests.Features.Faults;

/// <summary>
/// Faults only separate processes can show: an Api killed with a keyed write in flight, and the PostgreSQL cluster the
/// Api owns killed under it.
/// </summary>
public sealed class ProcessFaultTests
{
    [Fact]
    public async Task a_keyed_write_in_flight_when_its_api_is_killed_leaves_no_key_behind_and_a_retry_records_it_once()
    {
        var database = await PostgresServer.CreateDatabaseAsync("killed-mid-write");
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = Guid.NewGuid().ToString() };
        var body = Requests.Deployment(name: "in-flight-when-killed");
        await using (var first = await ApiProcess.StartAsync(database, ApiFixture.SigningKey))
        {
            // Hold the request inside its transaction, after its events and before its commit, long enough to kill the Api there.
            await ExecuteAsync(database, """
                create or replace function governance.hold_responses() returns trigger language plpgsql as $$
                begin perform pg_sleep(4); return new; end $$;
                create trigger hold_responses before update on governance.mt_doc_idempotencyrecord
                  for each row execute function governance.hold_responses();
                """);
            var inFlight = first.Post("/deployments", "architect", body, key);
            await WaitForAsync(async () => await ScalarAsync(database, "select count(*) from pg_stat_activity where datname = current_database() and wait_event = 'PgSleep'") > 0,
                $"the write to reach its stored response ({string.Join("; ", await ActivityAsync(database))})");
            first.Kill();
            await Assert.ThrowsAnyAsync<Exception>(() => inFlight);
            // Waits for the held transaction to end: PostgreSQL rolls it back, its client being gone.
            await ExecuteAsync(database, "drop trigger hold_responses on governance.mt_doc_idempotencyrecord");
        }
        Assert.Equal(0, await CountAsync(database, "in-flight-when-killed"));
        Assert.Equal(0, await ScalarAsync(database, "select count(*) from governance.mt_doc_idempotencyrecord"));

        await using var second = await ApiProcess.StartAsync(database, ApiFixture.SigningKey);
        var retried = await second.Post("/deployments", "architect", body, key);
        var again = await second.Post("/deployments", "architect", body, key);
        Assert.Equal(201, retried.Status);
        Assert.Equal((201, retried.Text), (again.Status, again.Text));
        Assert.Equal(1, await CountAsync(database, "in-flight-when-killed"));
    }

    [Fact]
    public async Task when_the_postmaster_of_its_own_cluster_dies_the_api_restarts_it_and_is_ready_again_with_nothing_lost()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"governance-supervised-{Guid.NewGuid():N}");
        var pidFile = Path.Combine(dataDir, "pg", "data", "postmaster.pid");
        try
        {
            // No connection string: the Api starts and owns a cluster under its data folder, as the README's one command does.
            await using var api = await ApiProcess.StartAsync("", ApiFixture.SigningKey, new Dictionary<string, string> { ["Governance:DataDir"] = dataDir });
            var created = await api.Post("/deployments", "architect", Requests.Deployment(name: "before-the-crash"));
            Assert.Equal(201, created.Status);

            var postmaster = Postmaster(pidFile);
            postmaster.Kill();
            await postmaster.WaitForExitAsync();

            // The supervisor's log line reaches the test through the process's output, which may lag readiness: wait for both.
            await WaitForAsync(async () => Postmaster(pidFile).Id != postmaster.Id && (await api.Http.GetAsync("/health/ready")).IsSuccessStatusCode
                                           && api.Output.Contains("PostgreSQL restarted"),
                "readiness to return with a new postmaster, and the supervisor to say it restarted it", TimeSpan.FromSeconds(90));
            Assert.Equal(200, (await api.Get($"/deployments/{(string)created.Json["id"]!}", "auditor")).Status);
            Assert.Equal(201, (await api.Post("/deployments", "architect", Requests.Deployment(name: "after-the-crash"))).Status);
        }
        finally
        {
            // The Api is killed outright, so the cluster it started is stopped here.
            try { Postmaster(pidFile).Kill(); } catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or FormatException) { }
            await Task.Delay(500);
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        }
    }

    private static Process Postmaster(string pidFile) => Process.GetProcessById(int.Parse(File.ReadLines(pidFile).First()));

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)))
        {
            try
            {
                if (await condition()) return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or ArgumentException or InvalidOperationException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"Timed out waiting for {what}.");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 60 };
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static async Task<List<string>> ActivityAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select coalesce(wait_event, '-') || ' ' || left(query, 120) from pg_stat_activity where datname = current_database()", connection);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    private static Task<long> CountAsync(string connectionString, string name) =>
        ScalarAsync(connectionString, $"select count(*) from governance.mt_doc_deploymentview where data->>'name' = '{name}'");
}
