using Governance.Api.Features.Deployments;
using Governance.Api.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Governance.Api.Tests.Features.Deployments;

/// <summary>The past of a long history: as-of reads from checkpoints, and the trail a page at a time.</summary>
public sealed class HistoryTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private async Task<(string Id, List<DateTimeOffset> Instants)> LongHistory(string name, int reports)
    {
        var id = (string)(await api.Post("/deployments", "architect", Requests.Deployment(name: name))).Json["id"]!;
        var instants = new List<DateTimeOffset>();
        for (var i = 0; i < reports; i++)
        {
            api.Clock.Advance(TimeSpan.FromSeconds(1));
            // Each move in or out of the EU changes the residency finding: a usage event and an assessment each time.
            await api.Post($"/deployments/{id}/usage", "architect", new { regions = new[] { i % 2 == 0 ? "us-east-1" : "eu-west-1" }, monthlyActiveUsers = 1_000 + i });
            instants.Add(api.Clock.GetUtcNow());
        }
        await api.SettleAsync();
        return (id, instants);
    }

    [Fact]
    public async Task as_of_any_instant_reads_the_same_from_checkpoints_as_from_a_full_replay()
    {
        var (id, instants) = await LongHistory("long-as-of", 130); // 262 events: checkpoints at 100 and 200
        var store = api.Host.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession();
        Assert.Equal(2, await session.Query<DeploymentCheckpoint>().CountAsync(c => c.StreamId == Guid.Parse(id)));

        foreach (var at in new[] { instants[10], instants[49], instants[50], instants[51], instants[99], instants[129], instants[129].AddSeconds(-0.5) })
        {
            var replayed = await session.Events.AggregateStreamAsync<DeploymentView>(Guid.Parse(id), timestamp: at);
            var read = await api.Get($"/deployments/{id}?asOf={Uri.EscapeDataString(at.ToString("O"))}", "auditor");
            Assert.Equal(replayed!.Version, (long)read.Json["version"]!);
            Assert.Equal(replayed.Usage.MonthlyActiveUsers, (long?)read.Json["usage"]!["monthlyActiveUsers"]);
            Assert.Equal(Governance.Policies.Naming.Snake(replayed.Assessment!.Verdict), (string?)read.Json["assessment"]!["verdict"]);
            Assert.Equal(replayed.Usage.Regions, read.Json["usage"]!["regions"]!.AsArray().Select(r => (string)r!));
        }
    }

    [Fact]
    public async Task the_trail_comes_a_page_at_a_time_oldest_first_and_the_pages_join_up()
    {
        var (id, _) = await LongHistory("long-trail", 30); // 62 events

        var versions = new List<long>();
        string url = $"/deployments/{id}/events?limit=25";
        while (true)
        {
            var page = await api.Get(url, "auditor");
            versions.AddRange(page.Json["events"]!.AsArray().Select(e => (long)e!["version"]!));
            if (page.Json["next"] is null) break;
            url = $"/deployments/{id}/events?limit=25&after={(long)page.Json["next"]!}";
        }

        Assert.Equal(Enumerable.Range(1, 62).Select(v => (long)v), versions);
        Assert.Equal(400, (await api.Get($"/deployments/{id}/events?limit=5000", "auditor")).Status);
    }
}
