using Governance.Api.Tests.Infrastructure;

namespace Governance.Api.Tests.Features.Deployments;

/// <summary>Listing deployments: newest first, filtered, walked with a cursor that never recounts.</summary>
public sealed class ListTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task the_cursor_walks_every_deployment_once_newest_first_and_only_the_first_page_counts()
    {
        var registered = new List<string>();
        for (var i = 0; i < 23; i++)
        {
            registered.Add((string)(await api.Post("/deployments", "architect", Requests.Deployment(name: $"walk-{i}", licenseId: "mit"))).Json["id"]!);
            api.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var seen = new List<string>();
        var first = await api.Get("/deployments?license=mit&pageSize=10", "auditor");
        Assert.Equal(23, (long)first.Json["total"]!);
        var page = first;
        while (true)
        {
            seen.AddRange(page.Json["items"]!.AsArray().Select(d => (string)d!["id"]!));
            if (page.Json["next"] is null) break;
            page = await api.Get($"/deployments?license=mit&pageSize=10&cursor={(string)page.Json["next"]!}", "auditor");
            Assert.Null(page.Json["total"]);
        }

        Assert.Equal(Enumerable.Reverse(registered), seen);
    }

    [Theory]
    [InlineData("page=2147483647&pageSize=500", "page")]
    [InlineData("page=201&pageSize=50", "page")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("page=2&cursor=MTox", "page")]
    public async Task paging_past_what_offsets_allow_or_a_cursor_not_given_out_is_a_400_naming_the_field(string query, string field)
    {
        var reply = await api.Get($"/deployments?{query}", "auditor");
        Assert.Equal(400, reply.Status);
        Assert.Contains(reply.Json["errors"]!.AsArray(), e => (string?)e!["name"] == field);
    }
}
