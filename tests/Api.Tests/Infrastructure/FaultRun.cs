using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Api.Infrastructure;
using Npgsql;

namespace Governance.Api.Tests.Infrastructure;

/// <summary>What a fault run found: the figures docs/reliability.md records, and what must hold.</summary>
public sealed record FaultReport(
    int Requests, int Acknowledged, int AcknowledgedPresent, int Unacknowledged, int UnacknowledgedStoredBeforeRetry,
    int RecoveredByReplay, int RecordedOnRetry, int KeysUnresolved, int Duplicates, IReadOnlyDictionary<string, int> Outcomes,
    IReadOnlyList<string> Faults, IReadOnlyList<string> Problems)
{
    public int Count(int status) => Outcomes.TryGetValue(status.ToString(), out var n) ? n : 0;

    public override string ToString()
    {
        var outcomes = string.Join(", ", Outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}: {o.Value}"));
        return $"requests {Requests} ({outcomes}); faults: {string.Join("; ", Faults)}\n" +
               $"acknowledged {Acknowledged}, present {AcknowledgedPresent}; unacknowledged {Unacknowledged} " +
               $"(stored before retry {UnacknowledgedStoredBeforeRetry}; on retry with their key: replayed {RecoveredByReplay}, recorded {RecordedOnRetry}, unresolved {KeysUnresolved}); " +
               $"duplicates {Duplicates}" + (Problems.Count > 0 ? $"\nPROBLEMS:\n  {string.Join("\n  ", Problems)}" : "");
    }
}

/// <summary>
/// Keyed writers under load against the Api in its own process, on a PostgreSQL cluster of the run's own: the postmaster
/// is killed (SIGKILL) and restarted after an outage, then the Api is killed (SIGKILL) and a new one started. Afterwards
/// every write is checked: each acknowledged one is stored; each unacknowledged one is retried with its key, which must
/// replay it if it was stored and record it (once) if it was not; no key may stay unresolved; no request may get a 500.
/// Shared by the <c>faults</c> benchmark command and its short CI test.
/// </summary>
public static class FaultRun
{
    public sealed record Timing(TimeSpan Before, TimeSpan Outage, TimeSpan Between, TimeSpan After, int Writers);

    private sealed record Write(string Key, string Name, string Body)
    {
        public int Status; // 0: no response (connection refused or broken)
        public string? Id;
    }

    public static async Task<FaultReport> RunAsync(Timing timing, TextWriter log)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "governance-faults-" + Guid.NewGuid().ToString("N"));
        await using var postgres = await LocalPostgres.StartAsync(dataDir, log: null, deleteOnDispose: true);
        await postgres.CreateDatabaseAsync("faults");
        var connectionString = postgres.ConnectionStringFor("faults");
        var signingKey = new byte[48];
        Random.Shared.NextBytes(signingKey);
        var api = await ApiProcess.StartAsync(connectionString, signingKey);
        var current = api;
        var writes = new ConcurrentBag<Write>();
        var outcomes = new ConcurrentDictionary<string, int>();
        var faults = new List<string>();
        var problems = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        try
        {
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, timing.Writers).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var name = $"fault-{w:D2}-{i:D6}";
                    var write = new Write(Guid.NewGuid().ToString(), name, JsonSerializer.Serialize(Requests.Deployment(name: name), Json.Options));
                    writes.Add(write);
                    var target = Volatile.Read(ref current);
                    try
                    {
                        var (status, body, _) = await SendAsync(target, write);
                        write.Status = status;
                        outcomes.AddOrUpdate(status.ToString(), 1, (_, n) => n + 1);
                        if (status == 201) write.Id = (string?)JsonNode.Parse(body)!["id"];
                        else if (status >= 500 && status != 503) problems.Add($"{status} for {name}: {body}");
                        else if (status == 503 && !body.Contains("Retry") ) problems.Add($"503 without the retry advice for {name}: {body}");
                        if (status != 201) await Task.Delay(100);
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                    {
                        outcomes.AddOrUpdate("no response", 1, (_, n) => n + 1);
                        await Task.Delay(100);
                    }
                }
            })).ToArray();

            await Task.Delay(timing.Before);
            var postmaster = Process.GetProcessById(postgres.PostmasterPid!.Value);
            postmaster.Kill();
            await postmaster.WaitForExitAsync();
            var killedAt = clock.Elapsed;
            await Task.Delay(timing.Outage);
            await RestartAsync(postgres);
            faults.Add($"PostgreSQL SIGKILL at {killedAt.TotalSeconds:0.0} s, restarted at {clock.Elapsed.TotalSeconds:0.0} s");
            log.WriteLine(faults[^1]);

            await Task.Delay(timing.Between);
            var apiKilledAt = clock.Elapsed;
            api.Kill();
            Unhandled(api, problems);
            var next = await ApiProcess.StartAsync(connectionString, signingKey);
            Volatile.Write(ref current, next);
            await api.DisposeAsync();
            api = next;
            faults.Add($"Api SIGKILL at {apiKilledAt.TotalSeconds:0.0} s, a new one ready at {clock.Elapsed.TotalSeconds:0.0} s");
            log.WriteLine(faults[^1]);

            await Task.Delay(timing.After);
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            log.WriteLine($"load stopped at {clock.Elapsed.TotalSeconds:0.0} s; checking {writes.Count} writes");

            // Acknowledged: stored. Unacknowledged: stored or not, the key must now give the original outcome, exactly once.
            var stored = await StoredAsync(connectionString);
            var acknowledged = writes.Where(w => w.Status == 201).ToList();
            var present = acknowledged.Count(w => stored.TryGetValue(w.Name, out var ids) && ids.Contains(w.Id!));
            foreach (var w in acknowledged.Where(w => !(stored.TryGetValue(w.Name, out var ids) && ids.Contains(w.Id!))))
                problems.Add($"acknowledged {w.Name} ({w.Id}) is not stored");
            var unacknowledged = writes.Where(w => w.Status != 201).ToList();
            int storedBefore = 0, replayed = 0, recorded = 0, unresolved = 0;
            foreach (var w in unacknowledged)
            {
                var wasStored = stored.TryGetValue(w.Name, out var before);
                if (wasStored) storedBefore++;
                var (status, body, replay) = await SendAsync(api, w);
                if (status != 201)
                {
                    unresolved++;
                    problems.Add($"key of {w.Name} answers {status} on retry: {body}");
                    continue;
                }
                var id = (string?)JsonNode.Parse(body)!["id"];
                if (wasStored && replay && before!.Contains(id!)) replayed++;
                else if (!wasStored && !replay) recorded++;
                else problems.Add($"{w.Name}: stored before retry {wasStored}, replayed {replay}, id {id}");
            }
            Unhandled(api, problems);
            var after = await StoredAsync(connectionString);
            var duplicates = after.Values.Count(ids => ids.Count > 1);
            foreach (var (name, ids) in after.Where(a => a.Value.Count > 1)) problems.Add($"{name} stored {ids.Count} times");

            return new FaultReport(writes.Count, acknowledged.Count, present, unacknowledged.Count, storedBefore, replayed, recorded, unresolved, duplicates,
                new Dictionary<string, int>(outcomes), faults, problems.ToList());
        }
        finally
        {
            await api.DisposeAsync();
        }
    }

    // What the Api logged as failed, the exception and the first frames of its stack; Marten's own reports of the
    // outage (the daemon and the commands that met a dead server) are expected, and every request they touched is counted.
    private static void Unhandled(ApiProcess api, ConcurrentBag<string> problems)
    {
        var lines = api.Output.Split('\n');
        for (var i = 0; i < lines.Length; i++)
            if (lines[i].StartsWith("fail:", StringComparison.Ordinal) && !lines[i].StartsWith("fail: Marten.", StringComparison.Ordinal))
                problems.Add(string.Join("\n    ", lines.Skip(i).Take(8).Select(l => l.TrimEnd())));
    }

    // The dead server's backends may hold its shared memory for a moment: try again until it starts.
    private static async Task RestartAsync(LocalPostgres postgres)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await postgres.RestartAsync(CancellationToken.None);
                return;
            }
            catch (InvalidOperationException) when (attempt < 20) { await Task.Delay(500); }
        }
    }

    private static async Task<(int Status, string Body, bool Replayed)> SendAsync(ApiProcess api, Write write)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/deployments");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", api.Token("architect"));
        request.Headers.Add("Idempotency-Key", write.Key);
        request.Content = new StringContent(write.Body, Encoding.UTF8, "application/json");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await api.Http.SendAsync(request, cancel.Token);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancel.Token), response.Headers.Contains("Idempotent-Replayed"));
    }

    private static async Task<Dictionary<string, List<string>>> StoredAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select data->>'name', id::text from governance.mt_doc_deploymentview", connection);
        var stored = new Dictionary<string, List<string>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var name = reader.GetString(0);
            if (!stored.TryGetValue(name, out var ids)) stored[name] = ids = [];
            ids.Add(reader.GetString(1));
        }
        return stored;
    }
}
