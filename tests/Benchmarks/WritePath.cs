using Governance.Api.Events;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Governance.Api;
using Governance.Api.Tests.Infrastructure;
using Governance.Api.Features.Deployments;
using Governance.Api.Infrastructure;
using Governance.Policies.Evaluation;
using Marten;

namespace Governance.Benchmarks;

/// <summary>
/// POST /deployments through the real Api (Kestrel on loopback, its own process) next to a bare Marten append of the
/// same two events with the same store configuration, in one run against one throwaway PostgreSQL cluster.
/// </summary>
public static class WritePath
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Bench.Option(args, "--seconds", 20);
        var concurrency = Bench.Option(args, "--concurrency", 8);
        var appendMode = new EventOptions { AppendMode = Bench.Text(args, "--append") == "rich" ? "rich" : "quick" };
        var warmup = TimeSpan.FromSeconds(Math.Min(5, seconds / 4.0));
        var measure = TimeSpan.FromSeconds(seconds);

        var dataDir = Path.Combine(Path.GetTempPath(), "governance-bench-" + Guid.NewGuid().ToString("N"));
        await using var postgres = await LocalPostgres.StartAsync(dataDir, log: null, deleteOnDispose: true);
        await postgres.CreateDatabaseAsync("bench_api");
        await postgres.CreateDatabaseAsync("bench_bare");

        // Evaluator, in the same run, for the ratio to one request.
        var catalog = Realistic.Catalog();
        var input = Realistic.Input(catalog);
        for (var i = 0; i < 20_000; i++) Evaluator.Evaluate(input);
        var sw = Stopwatch.StartNew();
        const int evaluations = 200_000;
        for (var i = 0; i < evaluations; i++) Evaluator.Evaluate(input);
        var evaluatorMicros = sw.Elapsed.TotalMicroseconds / evaluations;

        // Bare Marten append of what POST /deployments appends: DeploymentRegistered + DeploymentAssessed, inline projection.
        var assessment = Evaluator.Evaluate(input);
        using var store = new DocumentStore(MartenSetup.Options(postgres.ConnectionStringFor("bench_bare"), TimeProvider.System, appendMode.Mode));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var by = new Actor("bench", "Bench Architect", Role.Architect);
        async Task BareAppend()
        {
            var id = Guid.CreateVersion7();
            var now = DateTimeOffset.UtcNow;
            await using var session = store.LightweightSession();
            session.Events.StartStream<DeploymentState>(id,
                new DeploymentRegistered(id, "bench", StoredModel.From(input.Deployment.Model), StoredUsage.From(input.Deployment.Usage), by, now),
                new DeploymentAssessed(id, assessment.Verdict, StoredShapes.From(assessment.Findings), catalog.Version, "registered", DateOnly.FromDateTime(now.UtcDateTime), by, now));
            await session.SaveChangesAsync();
        }
        var bare = await Load("bare Marten append", BareAppend, concurrency, warmup, measure);

        // The Api in its own process, as it runs in production.
        await using var api = await ApiProcess.StartAsync(postgres.ConnectionStringFor("bench_api"), settings: new Dictionary<string, string>
        {
            ["Logging:LogLevel:Default"] = "Warning", ["Governance:Events:AppendMode"] = appendMode.AppendMode, ["DOTNET_gcServer"] = "0",
        });
        var http = api.Http;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", api.Token(Role.Architect));
        var body = System.Text.Json.JsonSerializer.Serialize(new
        {
            name = "bench",
            model = new { name = "Meta-Llama-3.1-8B-Instruct", licenseId = "llama3.1", releaseDate = "2024-07-23", origin = "US", modality = "text", artifactSha256 = new string('a', 64) },
            usage = new { commercial = true, hosting = "saas", regions = new[] { "eu-west-1", "eu-central-1" }, dataClasses = new[] { "personal" }, fieldsOfUse = new[] { "customer-support" }, monthlyActiveUsers = 250_000 },
        });
        async Task Post()
        {
            using var response = await http.PostAsync("/deployments", new StringContent(body, Encoding.UTF8, "application/json"));
            if ((int)response.StatusCode != 201) throw new InvalidOperationException($"POST /deployments answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        var viaApi = await Load("POST /deployments via the Api", Post, concurrency, warmup, measure);
        api.Kill();

        Console.WriteLine();
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; date {DateTime.UtcNow:yyyy-MM-dd}");
        Console.WriteLine($"event append mode: {appendMode.AppendMode} ({appendMode.Mode})");
        Console.WriteLine($"concurrency {concurrency}, warm-up {warmup.TotalSeconds:0}s, measured {measure.TotalSeconds:0}s each");
        Console.WriteLine($"evaluator: {evaluatorMicros:0.0} µs per assessment ({1e6 / evaluatorMicros:N0} assessments/s on one core)");
        bare.Print();
        viaApi.Print();
        Console.WriteLine($"Api / bare append throughput: {viaApi.PerSecond / bare.PerSecond:0.00}x (target >= 0.5x)");
        Console.WriteLine($"evaluator / request p50: {evaluatorMicros / (viaApi.P50 * 1000):P2} (target < 1%)");
        return 0;
    }

    internal sealed record Result(string Name, int Count, TimeSpan Elapsed, double P50, double P99)
    {
        public double PerSecond => Count / Elapsed.TotalSeconds;

        public void Print() => Console.WriteLine($"{Name}: {PerSecond:0} ops/s, p50 {P50:0.00} ms, p99 {P99:0.00} ms ({Count} ops)");
    }

    internal static async Task<Result> Load(string name, Func<Task> operation, int concurrency, TimeSpan warmup, TimeSpan measure)
    {
        var latencies = new List<double>[concurrency];
        var measuring = false;
        var stop = DateTime.UtcNow + warmup + measure;
        var measureFrom = DateTime.UtcNow + warmup;
        var workers = Enumerable.Range(0, concurrency).Select(async w =>
        {
            latencies[w] = new List<double>(100_000);
            while (DateTime.UtcNow < stop)
            {
                var start = Stopwatch.GetTimestamp();
                await operation();
                if (Volatile.Read(ref measuring)) latencies[w].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }).ToList();
        await Task.Delay(warmup);
        Volatile.Write(ref measuring, true);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(workers);
        clock.Stop();
        var all = latencies.SelectMany(l => l).Order().ToArray();
        _ = measureFrom;
        var result = new Result(name, all.Length, clock.Elapsed, all[all.Length / 2], all[(int)(all.Length * 0.99)]);
        result.Print();
        return result;
    }
}
