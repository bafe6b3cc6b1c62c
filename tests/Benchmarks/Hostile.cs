using System.Diagnostics;
using Governance.Api.Infrastructure;
using Governance.Api.Tests.Infrastructure;

namespace Governance.Benchmarks;

/// <summary>
/// The hostile-input walk (tests/Api.Tests/Infrastructure/HostileWalk.cs) against the Api as it runs in production:
/// its own process, Kestrel on loopback, a throwaway PostgreSQL. Prints the totals by status and every broken promise.
/// </summary>
public static class Hostile
{
    public static async Task<int> RunAsync(string[] args)
    {
        var cases = Bench.Option(args, "--cases", 10_000);
        var concurrency = Bench.Option(args, "--concurrency", 8);
        var seed = Bench.Option(args, "--seed", 11);
        Console.WriteLine(Bench.Machine);

        await using var deployment = await Bench.StartAsync("hostile");
        var api = deployment.Api;

        var walk = new HostileWalk(api.Http, api.Token, seed);
        await walk.PrepareAsync();
        var clock = Stopwatch.StartNew();
        var outcomes = await walk.RunAsync(cases, concurrency);
        clock.Stop();

        Console.WriteLine($"{outcomes.Count:N0} cases over {walk.OperationCount} operations (seed {seed}, concurrency {concurrency}) in {clock.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine("by status: " + string.Join(", ", outcomes.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count():N0}")));
        Console.WriteLine("by kind:   " + string.Join(", ", outcomes.GroupBy(o => o.Case.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count():N0}")));
        var fivexx = outcomes.Count(o => o.Status >= 500);
        var failures = outcomes.Where(o => o.Failure is not null).ToList();
        Console.WriteLine($"5xx: {fivexx}; broken promises (5xx, no response, 4xx without a problem naming the field): {failures.Count}");
        foreach (var f in failures.DistinctBy(f => (f.Case.Operation, f.Case.Kind, f.Failure)).Take(30))
            Console.WriteLine($"  {f.Case.Method} {f.Case.Url[..Math.Min(f.Case.Url.Length, 160)]} [{f.Case.Kind}]: {f.Failure} | {f.Text[..Math.Min(f.Text.Length, 200)]}");
        return failures.Count == 0 ? 0 : 1;
    }
}
