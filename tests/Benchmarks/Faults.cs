using Governance.Api.Tests.Infrastructure;

namespace Governance.Benchmarks;

/// <summary>
/// Issue 11's fault proof, run as often as asked (<see cref="FaultRun"/>): keyed writers while PostgreSQL and then the Api
/// are killed. Prints per run the figures docs/reliability.md records, and fails when a promise did not hold.
/// </summary>
public static class Faults
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = Bench.Option(args, "--runs", 3);
        var timing = new FaultRun.Timing(
            Before: TimeSpan.FromSeconds(Bench.Option(args, "--before", 10)),
            Outage: TimeSpan.FromSeconds(Bench.Option(args, "--outage", 8)),
            Between: TimeSpan.FromSeconds(Bench.Option(args, "--between", 10)),
            After: TimeSpan.FromSeconds(Bench.Option(args, "--after", 10)),
            Writers: Bench.Option(args, "--writers", 8));
        Console.WriteLine(Bench.Machine);
        Console.WriteLine($"{runs} runs; {timing.Writers} writers; load {timing.Before.TotalSeconds} s, PostgreSQL down {timing.Outage.TotalSeconds} s, " +
                          $"load {timing.Between.TotalSeconds} s, Api killed and restarted, load {timing.After.TotalSeconds} s");
        var failed = 0;
        Console.WriteLine("| run | requests | 201 | 503 | 500 | other 5xx | no response | acknowledged / present | unacknowledged: stored before retry / replayed / recorded on retry / unresolved | duplicates |");
        var rows = new List<string>();
        for (var run = 1; run <= runs; run++)
        {
            var report = await FaultRun.RunAsync(timing, Console.Out);
            Console.WriteLine(report);
            var otherServerErrors = report.Outcomes.Where(o => int.TryParse(o.Key, out var s) && s >= 500 && s is not 500 and not 503).Sum(o => o.Value);
            rows.Add($"| {run} | {report.Requests} | {report.Count(201)} | {report.Count(503)} | {report.Count(500)} | {otherServerErrors} | " +
                     $"{(report.Outcomes.TryGetValue("no response", out var none) ? none : 0)} | {report.Acknowledged} / {report.AcknowledgedPresent} | " +
                     $"{report.UnacknowledgedStoredBeforeRetry} / {report.RecoveredByReplay} / {report.RecordedOnRetry} / {report.KeysUnresolved} | {report.Duplicates} |");
            if (report.Problems.Count > 0) failed++;
        }
        foreach (var row in rows) Console.WriteLine(row);
        Console.WriteLine(failed == 0 ? "every promise held in every run" : $"{failed} run(s) broke a promise (see PROBLEMS above)");
        return failed == 0 ? 0 : 1;
    }
}
