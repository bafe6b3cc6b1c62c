using Governance.Api.Tests.Infrastructure;

namespace Governance.Api.Tests.Features;

/// <summary>Whatever a client sends, the answer is a 2xx or a 4xx problem: never a 500.</summary>
public sealed class HostileInputTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly string[] Bodies =
    [
        "", "null", "\"text\"", "42", "[]", "{}", "{\"name\":null}", "{\"model\":5,\"usage\":\"x\"}",
        "{\"usage\":{\"regions\":[null],\"dataClasses\":[null],\"fieldsOfUse\":[null]}}",
        "{\"model\":{\"baseModels\":[null]}}",
        "{\"decision\":\"approve\",\"justification\":\"x\",\"waivers\":[null]}",
        "{\"decision\":\"approve\",\"justification\":\"x\",\"waivers\":[{\"expiresOn\":\"2030-02-30\"}]}",
        "{\"residency\":[null],\"deniedOrigins\":[null],\"attestationRequired\":true}",
        "{\"residency\":[{\"dataClass\":null,\"allowedRegions\":[null]}],\"deniedOrigins\":[],\"attestationRequired\":null}",
        "{\"month\":\"0000-00\",\"monthlyActiveUsers\":1e400,\"monthlyRevenueUsd\":-0}",
        "{\"monthlyActiveUsers\":99999999999999999999999999}",
        "{\"usage\":{\"monthlyActiveUsers\":9223372036854775807,\"regions\":[\"" + new string('a', 5000) + "\"]}}",
        new string('[', 2000) + new string(']', 2000),
        "{\"name\":\"\\ud800\"}",
        "{\"usage\":{\"regions\":[" + string.Join(",", Enumerable.Repeat("\"eu-west-1\"", 10_000)) + "]}}",
    ];

    private static readonly (string Method, string Url, string Role)[] Writes =
    [
        ("POST", "/deployments", "architect"),
        ("POST", "/deployments/{id}/usage", "architect"),
        ("POST", "/deployments/{id}/decision", "legal"),
        ("POST", "/deployments/{id}/retire", "legal"),
        ("PUT", "/company", "admin"),
        ("POST", "/company/usage", "admin"),
        ("PUT", "/company/rules", "legal"),
    ];

    public static IEnumerable<object[]> Cases() =>
        from w in Writes from b in Enumerable.Range(0, Bodies.Length) select new object[] { w.Method, w.Url, w.Role, b };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task hostile_bodies_get_a_4xx_problem_never_a_500(string method, string url, string role, int body)
    {
        var id = (string)(await api.Post("/deployments", "architect", Requests.Deployment(name: "target"))).Json["id"]!;
        var reply = await api.Send(new HttpMethod(method), url.Replace("{id}", id), role, Bodies[body]);
        Assert.True(reply.Status < 500, reply.ToString());
        if (reply.Status >= 400) Assert.StartsWith("application/problem+json", reply.ContentType);
    }

    [Fact]
    public async Task an_if_match_on_a_deployment_that_does_not_exist_is_a_404()
    {
        var reply = await api.Post($"/deployments/{Guid.NewGuid()}/decision", "legal", new { decision = "approve", justification = "x" },
            new Dictionary<string, string> { ["If-Match"] = "\"3\"" });
        Assert.Equal(404, reply.Status);
    }

    [Theory]
    [InlineData("/deployments/00000000-0000-0000-0000-000000000000/usage", "architect", """{"monthlyActiveUsers":1}""")]
    [InlineData("/deployments/00000000-0000-0000-0000-000000000000/decision", "legal", """{"decision":"approve","justification":"x"}""")]
    [InlineData("/deployments/00000000-0000-0000-0000-000000000000/retire", "legal", "{}")]
    [InlineData("/deployments/00000000-0000-0000-0000-000000000000/scan-failures", "scanner", """{"code":"artifact-mismatch","message":"x"}""")]
    [InlineData("/scanners/00000000-0000-0000-0000-000000000000/revoke", "admin", """{"reason":"x"}""")]
    public async Task a_write_to_the_empty_guid_is_a_404_problem(string url, string role, string body)
    {
        var reply = await api.Send(HttpMethod.Post, url, role, body);
        Assert.Equal(404, reply.Status);
        Assert.StartsWith("application/problem+json", reply.ContentType);
    }

    [Fact]
    public async Task a_non_json_content_type_is_refused_with_a_4xx()
    {
        var reply = await api.Send(HttpMethod.Post, "/deployments", "architect", json: null,
            headers: new Dictionary<string, string> { ["Content-Type"] = "text/plain" });
        Assert.InRange(reply.Status, 400, 499);
    }
}
