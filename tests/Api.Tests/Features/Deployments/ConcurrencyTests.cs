using Governance.Api.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Governance.Api.Tests.Features.Deployments;

public sealed class ConcurrencyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task twenty_concurrent_decisions_on_one_deployment_one_wins_the_rest_get_409()
    {
        var id = Guid.Parse((string)(await api.Post("/deployments", "architect", Requests.Deployment(name: "race"))).Json["id"]!);

        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => api.Post($"/deployments/{id}/decision", "legal",
            new { decision = i % 2 == 0 ? "approve" : "reject", justification = $"decision {i}" })));

        Assert.Single(replies, r => r.Status == 200);
        Assert.Equal(19, replies.Count(r => r.Status == 409));
        await using var session = api.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(id);
        Assert.Single(events, e => e.Data is Api.Features.Deployments.DeploymentApproved or Api.Features.Deployments.DeploymentRejected);
    }

    [Fact]
    public async Task twenty_concurrent_usage_reports_without_if_match_all_land_one_after_the_other()
    {
        var id = Guid.Parse((string)(await api.Post("/deployments", "architect", Requests.Deployment(name: "usage race"))).Json["id"]!);

        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => api.Post($"/deployments/{id}/usage", "architect",
            new { monthlyActiveUsers = 1000 + i })));

        Assert.All(replies, r => Assert.True(r.Status == 200, r.ToString()));
        await using var session = api.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(id);
        // Every figure recorded once, none lost to another writer: each decided on what the one before it wrote.
        var reported = events.Select(e => e.Data).OfType<Api.Features.Deployments.DeploymentUsageReported>().Select(e => e.Usage.MonthlyActiveUsers).Order();
        Assert.Equal(Enumerable.Range(1000, 20).Select(i => (long)i), reported.Select(u => (long)u!));
    }
}
