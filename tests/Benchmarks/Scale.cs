using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Api;
using Governance.Api.Infrastructure;
using Governance.Api.Tests.Infrastructure;
using Npgsql;

namespace Governance.Benchmarks;

/// <summary>
/// Issue 10's targets, measured in one run against the Release Api in its own process on a throwaway PostgreSQL:
/// seeding N deployments through the Api, list pages, company-change requests, the background re-assessment of the
/// whole portfolio while registrations and usage reports keep coming, convergence, the database's size before and
/// after five mass re-assessments, as-of reads on a 10,000-event stream, and the portfolio PDF with the Api's memory.
/// </summary>
public static class Scale
{
    internal static readonly object DenyUs = new { residency = Array.Empty<object>(), deniedOrigins = new[] { "US" }, attestationRequired = false };
    internal static readonly object NoRules = new { residency = Array.Empty<object>(), deniedOrigins = Array.Empty<string>(), attestationRequired = false };
    private static readonly string[] Licenses = ["llama3.1", "apache-2.0", "mit", "gemma", "llama3.3"];

    public static async Task<int> RunAsync(string[] args)
    {
        var n = Bench.Option(args, "--deployments", 100_000);
        var concurrency = Bench.Option(args, "--concurrency", 8);
        var streamEvents = Bench.Option(args, "--stream-events", 10_000);
        Console.WriteLine(Bench.Machine);
        Console.WriteLine($"{n:N0} deployments, concurrency {concurrency}, a {streamEvents:N0}-event stream");

        await using var deployment = await Bench.StartAsync("scale");
        var (api, connectionString, dataDir) = (deployment.Api, deployment.ConnectionString, deployment.DataDir);
        // What the Api logs (its levels come from this process's environment, e.g. Logging__LogLevel__Governance.Api=Debug).
        if (Bench.Text(args, "--api-log") is { } apiLog) api.LogTo(apiLog);
        var memory = new MemorySampler(api);
        try
        {
            return await MeasureAsync(api, memory, connectionString, dataDir, n, concurrency, streamEvents);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"{e}\nThe Api said (last 8,000 characters):\n{api.Output[^Math.Min(api.Output.Length, 8000)..]}");
            return 1;
        }
        finally
        {
            memory.Dispose();
        }
    }

    private static async Task<int> MeasureAsync(ApiProcess api, MemorySampler memory, string connectionString, string dataDir, int n, int concurrency, int streamEvents)
    {

        Check(await api.Put("/company/rules", Role.Legal, NoRules), 200);

        await SeedAsync(api, n, concurrency);
        await PrintSizesAsync(connectionString, n, "after seeding");

        // Reads.
        await Latency(api, "GET /deployments (page 1)", "/deployments");
        await Latency(api, "GET /deployments?status=pending_review&license=llama3.1 (page 1)", "/deployments?status=pending_review&license=llama3.1");
        var page1 = await api.Get("/deployments?pageSize=50", Role.Auditor);
        await Latency(api, "GET /deployments (page 2, keyset cursor)", $"/deployments?pageSize=50&cursor={Uri.EscapeDataString((string)page1.Json["next"]!)}");

        // The console's busiest pages, signed in as legal through the sign-in form a loopback Api offers.
        using (var console = await ConsoleSignInAsync(api))
        {
            var one = (string)page1.Json["items"]![0]!["id"]!;
            foreach (var (name, url) in new[]
                     {
                         ("console: inbox", "/ui/inbox"), ("console: inbox, filtered", "/ui/inbox?license=llama3.1&verdict=non_compliant"),
                         ("console: portfolio, first page", "/ui/deployments"), ("console: portfolio, filtered and sorted", "/ui/deployments?license=llama3.1&sort=name&dir=asc"),
                         ("console: portfolio, search", "/ui/deployments?q=0042"), ("console: deployment", $"/ui/deployments/{one}"), ("console: home", "/ui"),
                     })
                await Latency(name, async () =>
                {
                    using var response = await console.GetAsync(url);
                    var body = await response.Content.ReadAsStringAsync();
                    if (!response.IsSuccessStatusCode || body.Length == 0) throw new InvalidOperationException($"{url}: {(int)response.StatusCode}");
                });
        }

        // A rule change that alters 40% of verdicts, re-assessed in the background while architects keep writing at >= 100/s.
        memory.Reset();
        var stopLoad = new CancellationTokenSource();
        var load = SteadyLoadAsync(api, n, stopLoad.Token);
        await Task.Delay(2000);
        var change = Stopwatch.StartNew();
        var changed = Check(await api.Put("/company/rules", Role.Legal, DenyUs), 200);
        change.Stop();
        var run = await FinishedAsync(api, (string)changed.Json["reassessment"]!["href"]!);
        var duringRun = memory.Peak;
        stopLoad.Cancel();
        var (writes, writeSeconds) = await load;
        var outdatedAtFinish = (long)(await api.Get("/deployments?outdated=true", Role.Auditor)).Json["total"]!;
        await SettledAsync(api, "convergence");
        var outdatedAfter = (long)(await api.Get("/deployments?outdated=true", Role.Auditor)).Json["total"]!;
        Console.WriteLine($"PUT /company/rules (alters 40% of verdicts): request {change.Elapsed.TotalMilliseconds:0} ms");
        Console.WriteLine($"re-assessment: {(int)run["done"]!:N0} deployments, {(int)run["verdictsChanged"]!:N0} verdicts changed, " +
                          $"{Seconds(run):0.0} s (started → finished), Api peak RSS during the run {duringRun / 1048576.0:0} MiB");
        Console.WriteLine($"concurrent writes during the run: {writes:N0} in {writeSeconds:0.0} s = {writes / writeSeconds:0}/s; " +
                          $"outdated when the run finished: {outdatedAtFinish}, after convergence: {outdatedAfter}");

        // Company-change requests at scale: each queues a run, a later one supersedes those not started.
        var requests = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var sw = Stopwatch.StartNew();
            Check(await api.Post("/company/usage", Role.Admin, new { month = "2026-11", monthlyActiveUsers = 1_000_000L + i, monthlyRevenueUsd = 5_000_000m }), 200);
            requests.Add(sw.Elapsed.TotalMilliseconds);
        }
        Print("POST /company/usage (30 requests, each queueing a run)", requests);
        await SettledAsync(api, "company figures");

        // Five mass re-assessments, then the size again.
        for (var i = 0; i < 5; i++)
        {
            var rerun = await FinishedAsync(api, (string)Check(await api.Put("/company/rules", Role.Legal, i % 2 == 0 ? NoRules : DenyUs), 200).Json["reassessment"]!["href"]!);
            Console.WriteLine($"mass re-assessment {i + 1}: {Seconds(rerun):0.0} s, {(int)rerun["verdictsChanged"]!:N0} verdicts changed");
        }
        await SettledAsync(api, "five re-assessments");
        await PrintSizesAsync(connectionString, n, "after five mass re-assessments");
        // The space dead row versions hold is reused once vacuum has marked it free: after one vacuum, a sixth
        // re-assessment should grow the tables little, which is what bounds their size in steady state.
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            var vacuum = Stopwatch.StartNew();
            await using (var command = new NpgsqlCommand("vacuum governance.mt_doc_deploymentview, governance.mt_doc_deploymentstate, governance.mt_streams", connection)
                         { CommandTimeout = 0 })
                await command.ExecuteNonQueryAsync();
            Console.WriteLine($"vacuum of the three rewritten tables: {vacuum.Elapsed.TotalSeconds:0.0} s");
        }
        var sixth = await FinishedAsync(api, (string)Check(await api.Put("/company/rules", Role.Legal, DenyUs), 200).Json["reassessment"]!["href"]!);
        Console.WriteLine($"mass re-assessment 6: {Seconds(sixth):0.0} s, {(int)sixth["verdictsChanged"]!:N0} verdicts changed");
        await SettledAsync(api, "a sixth re-assessment");
        await PrintSizesAsync(connectionString, n, "after a vacuum and a sixth re-assessment");

        // One stream of many events: as-of reads and the paged trail.
        var id = (string)Check(await api.Post("/deployments", Role.Architect, Requests.Deployment(name: "long-history")), 201).Json["id"]!;
        var first = DateTimeOffset.UtcNow;
        for (var v = 0; (long)(await api.Get($"/deployments/{id}", Role.Auditor)).Json["version"]! < streamEvents; v++)
            await Timed(200, concurrency: 1, async i => Check(await api.Post($"/deployments/{id}/usage", Role.Architect, new { monthlyActiveUsers = 1000 + v * 200 + i }), 200));
        var last = DateTimeOffset.UtcNow;
        var span = (last - first).Ticks;
        await Latency(api, $"GET /deployments/{{id}}?asOf= (stream of {streamEvents:N0} events, random instants)",
            () => $"/deployments/{id}?asOf={Uri.EscapeDataString(first.AddTicks(Random.Shared.NextInt64(span)).ToString("O"))}");
        await Latency(api, "GET /deployments/{id}/events (first page of 500)", $"/deployments/{id}/events");
        await Latency(api, "GET /deployments/{id}/events (last page)", $"/deployments/{id}/events?after={streamEvents - 100}");

        // The portfolio PDF, and verifying it.
        memory.Reset();
        var render = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/reports/portfolio");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", api.Token(Role.Auditor));
        using var response = await api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var pdf = Path.Combine(dataDir, "portfolio.pdf");
        await using (var file = File.Create(pdf)) await response.Content.CopyToAsync(file);
        render.Stop();
        var renderPeak = memory.Peak;
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/reports/verify") { Content = new StreamContent(File.OpenRead(pdf)) };
        upload.Content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", api.Token(Role.Auditor));
        using var verified = await api.Http.SendAsync(upload);
        var verdict = await verified.Content.ReadAsStringAsync();
        Console.WriteLine($"portfolio PDF: {(int)response.StatusCode}, {new FileInfo(pdf).Length / 1048576.0:0.0} MiB, {response.Headers.GetValues("X-Report-Id").First()}, " +
                          $"{render.Elapsed.TotalSeconds:0.0} s, Api peak RSS while rendering {renderPeak / 1048576.0:0} MiB; verify: {(int)verified.StatusCode} {verdict}");
        Console.WriteLine($"Api peak RSS over the whole run (VmHWM): {api.Memory().PeakRss / 1048576.0:0} MiB");
        return 0;
    }


    /// <summary>Registers <paramref name="n"/> deployments, 40% of them of US origin (which <see cref="DenyUs"/> denies), and waits until they settle.</summary>
    internal static async Task SeedAsync(ApiProcess api, int n, int concurrency)
    {
        var seeded = await Timed(n, concurrency, async i =>
            Check(await api.Post("/deployments", Role.Architect, Requests.Deployment(name: $"scale-{i:D7}", licenseId: Licenses[i % Licenses.Length],
                origin: i % 5 < 2 ? "US" : "FR")), 201));
        Console.WriteLine($"seeding: {n:N0} registrations in {seeded.Elapsed.TotalSeconds:0.0} s = {n / seeded.Elapsed.TotalSeconds:0} registrations/s");
        await SettledAsync(api, "seeding");
    }

    internal static Reply Check(Reply reply, int status) =>
        reply.Status == status ? reply : throw new InvalidOperationException($"Expected {status}, got {reply}");

    internal static double Seconds(JsonNode run) =>
        ((DateTimeOffset)run["finishedAt"]! - (DateTimeOffset)run["startedAt"]!).TotalSeconds;

    /// <summary>Runs <paramref name="count"/> operations on <paramref name="concurrency"/> workers.</summary>
    private static async Task<Stopwatch> Timed(int count, int concurrency, Func<int, Task> operation)
    {
        var clock = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next)) await operation(i);
        }));
        clock.Stop();
        return clock;
    }

    /// <summary>Registrations and usage reports, about 60 a second each, until cancelled: how many and for how long.</summary>
    private static async Task<(int Writes, double Seconds)> SteadyLoadAsync(ApiProcess api, int n, CancellationToken stop)
    {
        var writes = 0;
        var conflicts = new System.Collections.Concurrent.ConcurrentBag<int>();
        var clock = Stopwatch.StartNew();
        var ids = new List<string>();
        async Task Register(int i)
        {
            var reply = Check(await api.Post("/deployments", Role.Architect, Requests.Deployment(name: $"during-{i:D6}", origin: i % 2 == 0 ? "US" : "FR")), 201);
            lock (ids) ids.Add((string)reply.Json["id"]!);
        }
        async Task Report(int i)
        {
            string id;
            lock (ids) id = ids[Random.Shared.Next(ids.Count)];
            var reply = await api.Post($"/deployments/{id}/usage", Role.Architect, new { monthlyActiveUsers = 10_000 + i });
            // A usage report racing the re-assessment on the same stream may lose with 409; the architect retries.
            for (var attempt = 1; reply.Status == 409 && attempt < 5; attempt++)
            {
                conflicts.Add(1);
                reply = await api.Post($"/deployments/{id}/usage", Role.Architect, new { monthlyActiveUsers = 10_000 + i });
            }
            Check(reply, 200);
        }
        await Register(0);
        var tick = 0;
        while (!stop.IsCancellationRequested)
        {
            var due = clock.Elapsed + TimeSpan.FromMilliseconds(100);
            await Task.WhenAll(Enumerable.Range(0, 6).Select(k => Register(tick * 6 + k + 1)).Concat(Enumerable.Range(0, 6).Select(k => Report(tick * 6 + k))));
            Interlocked.Add(ref writes, 12);
            tick++;
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed, CancellationToken.None);
        }
        Console.WriteLine($"  (usage reports answered 409 and retried: {conflicts.Count})");
        return (writes, clock.Elapsed.TotalSeconds);
    }

    internal static async Task<JsonNode> FinishedAsync(ApiProcess api, string href)
    {
        while (true)
        {
            var run = (await api.Get(href, Role.Auditor)).Json;
            if ((string?)run["status"] is "finished" or "superseded") return run;
            await Task.Delay(250);
        }
    }

    /// <summary>Until no deployment is assessed under an outdated version and no run is queued or running.</summary>
    private static async Task SettledAsync(ApiProcess api, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var outdated = (long)(await api.Get("/deployments?outdated=true", Role.Auditor)).Json["total"]!;
            var runs = (await api.Get("/reassessments", Role.Auditor)).Json.AsArray();
            if (outdated == 0 && runs.All(r => (string?)r!["status"] is "finished" or "superseded")) break;
            if (clock.Elapsed > TimeSpan.FromMinutes(30)) throw new TimeoutException($"{what}: {outdated} outdated after 30 minutes.");
            await Task.Delay(500);
        }
        Console.WriteLine($"  ({what}: settled {clock.Elapsed.TotalSeconds:0.0} s later)");
    }

    private static Task Latency(ApiProcess api, string name, string url) => Latency(api, name, () => url);

    private static Task Latency(ApiProcess api, string name, Func<string> url) =>
        Latency(name, async () => Check(await api.Get(url(), Role.Auditor), 200));

    /// <summary>10 warm-up and <paramref name="count"/> measured sequential requests from a loopback client.</summary>
    private static async Task Latency(string name, Func<Task> request, int count = 200)
    {
        for (var i = 0; i < 10; i++) await request();
        var times = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var sw = Stopwatch.StartNew();
            await request();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        Print(name, times);
    }

    /// <summary>A cookie session of the console, signed in as legal with the development sign-in form.</summary>
    private static async Task<HttpClient> ConsoleSignInAsync(ApiProcess api)
    {
        var http = new HttpClient(new SocketsHttpHandler { CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = api.Http.BaseAddress };
        var page = await http.GetStringAsync("/ui/signin");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var response = await http.PostAsync("/ui/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["__RequestVerificationToken"] = token, ["Input.Name"] = "Scale Legal", ["Input.Role"] = Role.Legal,
        }));
        if (!(await response.Content.ReadAsStringAsync()).Contains("Signed in as <strong>Scale Legal</strong>"))
            throw new InvalidOperationException("The console's sign-in form did not sign in.");
        return http;
    }

    private static void Print(string name, List<double> times)
    {
        var sorted = times.Order().ToArray();
        Console.WriteLine($"{name}: p50 {sorted[sorted.Length / 2]:0.0} ms, p99 {sorted[(int)Math.Ceiling(sorted.Length * 0.99) - 1]:0.0} ms, max {sorted[^1]:0.0} ms ({sorted.Length} requests)");
    }

    private static async Task PrintSizesAsync(string connectionString, int n, string when)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var sizes = new StringBuilder();
        foreach (var table in new[] { "mt_events", "mt_streams", "mt_doc_deploymentview", "mt_doc_deploymentstate", "mt_doc_deploymentcheckpoint" })
        {
            await using var command = new NpgsqlCommand(
                $"select pg_total_relation_size('governance.{table}'), (select n_live_tup from pg_stat_user_tables where schemaname = 'governance' and relname = '{table}'), " +
                $"(select n_dead_tup from pg_stat_user_tables where schemaname = 'governance' and relname = '{table}')", connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            sizes.Append($"\n    {table}: {reader.GetInt64(0) / 1048576.0:0.0} MiB ({reader.GetInt64(0) / (double)n:0} B per deployment), " +
                         $"live rows {(reader.IsDBNull(1) ? 0 : reader.GetInt64(1)):N0}, dead rows {(reader.IsDBNull(2) ? 0 : reader.GetInt64(2)):N0}");
        }
        await using (var command = new NpgsqlCommand("select pg_database_size(current_database())", connection))
        {
            var total = (long)(await command.ExecuteScalarAsync())!;
            sizes.Insert(0, $"database {when}: {total / 1048576.0:0} MiB ({total / (double)n:0} B per deployment)");
        }
        Console.WriteLine(sizes);
    }

    /// <summary>Samples the Api's resident memory every 100 ms; <see cref="Peak"/> is the highest since the last reset.</summary>
    private sealed class MemorySampler : IDisposable
    {
        private readonly Timer _timer;
        private long _peak;

        public MemorySampler(ApiProcess api) => _timer = new Timer(_ =>
        {
            try { InterlockedMax(api.Memory().Rss); } catch (Exception e) when (e is IOException or InvalidOperationException) { } // the process has exited
        }, null, 0, 100);

        public long Peak => Interlocked.Read(ref _peak);

        public void Reset() => Interlocked.Exchange(ref _peak, 0);

        private void InterlockedMax(long value)
        {
            for (var seen = Interlocked.Read(ref _peak); value > seen; seen = Interlocked.Read(ref _peak))
                if (Interlocked.CompareExchange(ref _peak, value, seen) == seen) return;
        }

        public void Dispose() => _timer.Dispose();
    }
}
