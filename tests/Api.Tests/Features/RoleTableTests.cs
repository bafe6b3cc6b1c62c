using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Governance.Api.Tests.Infrastructure;

namespace Governance.Api.Tests.Features;

/// <summary>docs/api.md's role table and the OpenAPI document's <c>x-roles</c> (what the code enforces) say the same, with a reason for each.</summary>
public sealed partial class RoleTableTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [GeneratedRegex(@"^\| `(?<method>[A-Z]+) (?<path>[^`]+)` \| (?<roles>[a-z, ]+) \| (?<why>.+) \|$")]
    private static partial Regex Row();

    [Fact]
    public async Task the_role_table_in_docs_agrees_with_x_roles_for_every_operation()
    {
        var table = File.ReadAllLines(Path.Combine(ApiFixture.RepoRoot, "docs", "api.md"))
            .Select(l => Row().Match(l)).Where(m => m.Success)
            .ToDictionary(m => $"{m.Groups["method"].Value} {m.Groups["path"].Value}",
                m => (Roles: m.Groups["roles"].Value.Split(',', StringSplitOptions.TrimEntries).Order().ToList(), Why: m.Groups["why"].Value.Trim()));
        var document = JsonNode.Parse((await api.Send(HttpMethod.Get, "/openapi/v1.json", null)).Text)!;
        var code = new Dictionary<string, List<string>>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        foreach (var (method, op) in item!.AsObject())
            if (op?["x-roles"] is JsonArray roles)
                code[$"{method.ToUpperInvariant()} {path.Replace("{**", "{")}"] = roles.Select(r => (string)r!).Order().ToList();

        Assert.True(code.Count >= 25, $"{code.Count} operations with x-roles");
        Assert.Equal(code.Keys.Order(), table.Keys.Order());
        Assert.All(code, op => Assert.True(op.Value.SequenceEqual(table[op.Key].Roles),
            $"{op.Key}: the code allows {string.Join(", ", op.Value)}, docs/api.md says {string.Join(", ", table[op.Key].Roles)}"));
        Assert.All(table, row => Assert.True(row.Value.Why.Length > 10, $"{row.Key} says no why"));
    }

    [Theory]
    [InlineData("/deployments", "model")]
    [InlineData("/scanners", "publicKey")]
    [InlineData("/company/usage", "monthlyRevenueUsd")]
    [InlineData("/deployments/{id}/usage", "usage")]
    public async Task each_request_body_is_described_by_its_own_schema(string path, string property)
    {
        var document = JsonNode.Parse((await api.Send(HttpMethod.Get, "/openapi/v1.json", null)).Text)!;
        var reference = (string)document["paths"]![path]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!;
        Assert.NotNull(document["components"]!["schemas"]![reference.Split('/')[^1]]!["properties"]![property]);
    }
}
