using Governance.Api.Tests.Infrastructure;

namespace Governance.Api.Tests.Features.Deployments;

public sealed class ValidationTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("{\"name\": ", "name")]
    [InlineData("{\"name\":\"x\",\"model\":{\"releaseDate\":\"23/07/2024\"}}", "model.releaseDate")]
    [InlineData("{\"name\":\"x\",\"model\":{\"modality\":\"video\"}}", "model.modality")]
    [InlineData("{\"name\":\"x\",\"usage\":{\"hosting\":\"cloud\"}}", "usage.hosting")]
    [InlineData("{\"name\":\"x\",\"usage\":{\"monthlyActiveUsers\":\"lots\"}}", "usage.monthlyActiveUsers")]
    [InlineData("[1,2,3]", "body")]
    public async Task malformed_json_is_a_400_problem_naming_where_it_broke(string json, string field)
    {
        var reply = await api.Send(HttpMethod.Post, "/deployments", "architect", json);
        Assert.Equal(400, reply.Status);
        Assert.StartsWith("application/problem+json", reply.ContentType);
        Assert.Contains(reply.Json["errors"]!.AsArray(), e => (string?)e!["name"] == field);
    }

    public static IEnumerable<object[]> InvalidFields()
    {
        yield return ["model.artifactSha256", new Func<string, string>(j => j.Replace(new string('a', 64), "abc"))];
        yield return ["model.origin", new Func<string, string>(j => j.Replace("\"US\"", "\"USA\""))];
        yield return ["name", new Func<string, string>(j => j.Replace("\"Support assistant (EU)\"", "\"\""))];
        yield return ["usage.regions", new Func<string, string>(j => j.Replace("[\"eu-west-1\"]", "[]"))];
        yield return ["usage.regions[0]", new Func<string, string>(j => j.Replace("[\"eu-west-1\"]", "[\"EU West!\"]"))];
        yield return ["usage.monthlyActiveUsers", new Func<string, string>(j => j.Replace("250000", "-5"))];
        yield return ["model.releaseDate", new Func<string, string>(j => j.Replace("\"releaseDate\":\"2024-07-23\",", ""))];
    }

    [Theory]
    [MemberData(nameof(InvalidFields))]
    public async Task invalid_fields_are_a_400_problem_naming_the_field(string field, Func<string, string> spoil)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(Requests.Deployment(), Governance.Api.Infrastructure.Json.Options);
        var reply = await api.Send(HttpMethod.Post, "/deployments", "architect", spoil(json));
        Assert.Equal(400, reply.Status);
        Assert.Contains(reply.Json["errors"]!.AsArray(), e => (string?)e!["name"] == field);
    }

    [Fact]
    public async Task decisions_need_a_justification_and_a_known_verb()
    {
        var id = (string)(await api.Post("/deployments", "architect", Requests.Deployment(name: "v"))).Json["id"]!;
        var reply = await api.Post($"/deployments/{id}/decision", "legal", new { decision = "maybe" });
        Assert.Equal(400, reply.Status);
        var names = reply.Json["errors"]!.AsArray().Select(e => (string?)e!["name"]).ToList();
        Assert.Contains("decision", names);
        Assert.Contains("justification", names);

        var past = await api.Post($"/deployments/{id}/decision", "legal", new
        {
            decision = "approve", justification = "x",
            waivers = new[] { new { findingCode = "notice-required", expiresOn = "2020-01-01", reason = "r" } },
        });
        Assert.Equal(400, past.Status);
        Assert.Contains(past.Json["errors"]!.AsArray(), e => (string?)e!["name"] == "waivers[0].expiresOn");
    }

    [Theory]
    [InlineData("GET", "/deployments/not-a-guid")]
    [InlineData("GET", "/deployments?status=sleeping")]
    [InlineData("GET", "/deployments?pageSize=100000")]
    [InlineData("GET", "/deployments/0193a5b0-0000-7000-8000-00000000beef?asOf=yesterday")]
    [InlineData("POST", "/deployments/0193a5b0-0000-7000-8000-00000000beef/usage")]
    [InlineData("POST", "/deployments/0193a5b0-0000-7000-8000-00000000beef/decision")]
    [InlineData("GET", "/licenses/%ff%fe..%2F..")]
    public async Task odd_input_never_produces_a_500(string method, string url)
    {
        var role = url.Contains("decision") ? "legal" : url.Contains("usage") ? "architect" : "admin";
        var reply = await api.Send(new HttpMethod(method), url, role, method == "POST" ? "{\"decision\":\"approve\",\"justification\":\"x\",\"regions\":[\"eu-west-1\"]}" : null);
        Assert.InRange(reply.Status, 400, 499);
    }

    [Fact]
    public async Task a_stale_if_match_is_a_409()
    {
        var id = (string)(await api.Post("/deployments", "architect", Requests.Deployment(name: "stale"))).Json["id"]!;
        await api.Post($"/deployments/{id}/usage", "architect", new { monthlyActiveUsers = 300_000 });
        var reply = await api.Post($"/deployments/{id}/decision", "legal", new { decision = "approve", justification = "read version 2" },
            new Dictionary<string, string> { ["If-Match"] = "\"2\"" });
        Assert.Equal(409, reply.Status);
    }
}
