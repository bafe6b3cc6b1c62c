using System.Diagnostics;
using Governance.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Governance.Api.Tests.Features;

/// <summary>
/// Every operation of the OpenAPI document, walked with seeded bad input (see <see cref="HostileWalk"/>): no answer is a
/// 5xx, every 4xx is a problem naming the field or header. 3,000 cases in process; <c>Benchmarks hostile</c> runs
/// 10,000 or more over Kestrel. The console's form posts (antiforgery-protected Blazor pages under /ui) are not in the
/// document and not walked here; their text fields pass the same <c>RequestGuard</c> form check.
/// </summary>
public sealed class HostileInputWalkTests(ApiFixture api, ITestOutputHelper output) : IClassFixture<ApiFixture>
{
    public const int Cases = 3_000;

    [Fact]
    public async Task every_operation_walked_with_bad_input_answers_below_500_with_problems_naming_the_field()
    {
        var clock = Stopwatch.StartNew();
        var walk = new HostileWalk(api.Host.Server.CreateClient(), role => ApiFixture.Token(role), seed: 11);
        await walk.PrepareAsync();
        Assert.True(walk.OperationCount >= 25, $"the OpenAPI document lists {walk.OperationCount} operations");

        var outcomes = await walk.RunAsync(Cases, concurrency: 4, budget: TimeSpan.FromSeconds(100));
        output.WriteLine($"{outcomes.Count:N0} cases over {walk.OperationCount} operations in {clock.Elapsed.TotalSeconds:F1} s: " +
                         string.Join(", ", outcomes.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}")));
        output.WriteLine("by kind: " + string.Join(", ", outcomes.GroupBy(o => o.Case.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}")));

        Assert.Equal(Cases, outcomes.Count);
        var failures = outcomes.Where(o => o.Failure is not null).ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} of {outcomes.Count} broke the promise; first ones:\n" + string.Join("\n",
            failures.DistinctBy(f => (f.Case.Operation, f.Case.Kind, f.Failure)).Take(15)
                .Select(f => $"{f.Case.Method} {Short(f.Case.Url)} [{f.Case.Kind}, ct {f.Case.ContentType}, names {f.Case.Names}]: {f.Failure} | {Short(f.Text)}")));
        // The walk reaches every operation and every kind of bad input; no answer is a 2xx for a case built to be refused.
        Assert.Equal(walk.OperationCount, outcomes.Select(o => o.Case.Operation).Distinct().Count());
        Assert.All(new[] { "path", "query", "header", "content-type", "field", "body", "statement", "multipart" },
            kind => Assert.Contains(outcomes, o => o.Case.Kind == kind));
        Assert.All(outcomes.Where(o => o.Case.Names is not null && o.Case.Kind is "field" or "statement"), o => Assert.InRange(o.Status, 400, 499));
    }

    private static string Short(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
