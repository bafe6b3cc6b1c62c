using Governance.Api.Features.Deployments;
using Governance.Api.Features.Deployments.List;
using Governance.Api.Infrastructure;
using Governance.Api.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Governance.Api.Tests.Features.Deployments;

/// <summary>The console's search: any part of a name or model name, any case, from a table of its own (DeploymentSearch).</summary>
public sealed class DeploymentSearchTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private async Task<List<string>> SearchAsync(string text)
    {
        await using var session = api.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var names = await new PortfolioQuery(Search: text).Filter(session.Query<DeploymentView>(), api.Clock.Today).Select(d => d.Name).ToListAsync();
        return [.. names.Order(StringComparer.Ordinal)];
    }

    private async Task<string> RegisterAsync(string name) =>
        (string)(await api.Post("/deployments", "architect", Requests.Deployment(name: name))).Json["id"]!;

    [Fact]
    public async Task search_matches_any_part_of_a_name_or_a_model_name_in_any_case_and_wildcards_match_themselves()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        string[] names = [$"Support {tag} 100%", $"support_{tag}", $"Other {tag}"];
        foreach (var name in names) await RegisterAsync(name);

        Assert.Equal([$"Support {tag} 100%"], await SearchAsync($"SUPPORT {tag}"));
        Assert.Equal([$"support_{tag}"], await SearchAsync($"_{tag}"));            // "_" is no wildcard: "Other {tag}" has a space there
        Assert.Equal([$"Support {tag} 100%"], await SearchAsync($"{tag} 100%"));
        Assert.Empty(await SearchAsync($"{tag} 1%0"));                             // nor is "%"
        var byModel = await SearchAsync("llama-3.1-8B-instruct");
        Assert.All(names, name => Assert.Contains(name, byModel));
    }

    [Fact]
    public async Task deployments_registered_before_the_search_had_its_table_are_found_after_the_next_start()
    {
        var name = $"older {Guid.NewGuid():N}";
        var id = await RegisterAsync(name);
        await using (var connection = new NpgsqlConnection(api.Host.Services.GetRequiredService<Database>().ConnectionString))
        {
            await connection.OpenAsync();
            await using var forget = new NpgsqlCommand($"delete from {DeploymentSearch.Table} where id = $1", connection) { Parameters = { new() { Value = Guid.Parse(id) } } };
            Assert.Equal(1, await forget.ExecuteNonQueryAsync());
        }
        Assert.Empty(await SearchAsync(name));

        await api.Host.Services.GetServices<IHostedService>().OfType<DeploymentSearchBackfill>().Single().StartAsync(CancellationToken.None);

        Assert.Equal([name], await SearchAsync(name));
    }
}
