using Governance.Api.Tests.Infrastructure;

namespace Governance.Api.Tests.Features;

/// <summary>The role × endpoint matrix: every forbidden pair is 403, no token is 401.</summary>
public sealed class AccessTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Id = "0193a5b0-0000-7000-8000-000000000001";

    public static readonly (string Method, string Url, string[] Allowed)[] Matrix =
    [
        ("GET", "/licenses", ["architect", "legal", "auditor", "scanner", "admin"]),
        ("GET", "/licenses/llama3.1", ["architect", "legal", "auditor", "scanner", "admin"]),
        ("GET", "/models", ["architect", "legal", "auditor", "scanner", "admin"]),
        ("GET", "/models/meta-llama/Llama-3.1-8B-Instruct", ["architect", "legal", "auditor", "scanner", "admin"]),
        ("GET", "/company", ["admin", "legal", "architect", "auditor"]),
        ("PUT", "/company", ["admin", "legal"]),
        ("POST", "/company/usage", ["admin", "architect"]),
        ("PUT", "/company/rules", ["legal", "admin"]),
        ("POST", "/deployments", ["architect"]),
        ("GET", "/deployments", ["architect", "legal", "auditor", "admin"]),
        ("GET", $"/deployments/{Id}", ["architect", "legal", "auditor", "admin"]),
        ("GET", $"/deployments/{Id}/events", ["auditor", "legal"]),
        ("POST", $"/deployments/{Id}/usage", ["architect"]),
        ("POST", $"/deployments/{Id}/decision", ["legal"]),
        ("POST", $"/deployments/{Id}/retire", ["architect", "legal"]),
        ("POST", $"/deployments/{Id}/attestations", ["scanner"]),
        ("POST", $"/deployments/{Id}/scan-failures", ["scanner"]),
        ("GET", $"/deployments/{Id}/bom", ["auditor", "legal", "architect", "admin"]),
        ("GET", $"/deployments/{Id}/report", ["auditor", "legal"]),
        ("GET", "/reports/portfolio", ["auditor", "legal"]),
        ("POST", "/reports/verify", ["architect", "legal", "auditor", "scanner", "admin"]),
        ("POST", "/scanners", ["admin"]),
        ("GET", "/scanners", ["admin", "auditor", "legal"]),
        ("POST", $"/scanners/{Id}/revoke", ["admin"]),
        ("POST", "/scans/lease", ["scanner"]),
        ("GET", "/scans/next", ["scanner"]),
    ];

    public static IEnumerable<object[]> Forbidden() =>
        from e in Matrix from role in Role.All where !e.Allowed.Contains(role) select new object[] { e.Method, e.Url, role };

    public static IEnumerable<object[]> Permitted() =>
        from e in Matrix from role in e.Allowed select new object[] { e.Method, e.Url, role };

    public static IEnumerable<object[]> Endpoints() => Matrix.Select(e => new object[] { e.Method, e.Url });

    [Theory]
    [MemberData(nameof(Forbidden))]
    public async Task a_role_outside_the_endpoints_roles_gets_403(string method, string url, string role)
    {
        var reply = await api.Send(new HttpMethod(method), url, role, method == "GET" ? null : "{}");
        Assert.Equal(403, reply.Status);
        Assert.StartsWith("application/problem+json", reply.ContentType);
    }

    [Theory]
    [MemberData(nameof(Permitted))]
    public async Task a_permitted_role_gets_past_authorization(string method, string url, string role)
    {
        // An empty body is invalid or the id unknown, but the request was let in: neither 401 nor 403.
        var reply = await api.Send(new HttpMethod(method), url, role, method == "GET" ? null : "{}");
        Assert.NotEqual(401, reply.Status);
        Assert.NotEqual(403, reply.Status);
        Assert.True(reply.Status < 500, reply.ToString());
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task no_token_gets_401(string method, string url)
    {
        var reply = await api.Send(new HttpMethod(method), url, role: null, method == "GET" ? null : "{}");
        Assert.Equal(401, reply.Status);
        Assert.StartsWith("application/problem+json", reply.ContentType);
    }

    [Fact]
    public async Task a_token_signed_with_another_key_gets_401()
    {
        var forged = Auth.Tokens.Issue(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(new byte[48]), "admin", "Mallory");
        var reply = await api.Send(HttpMethod.Get, "/licenses", null, headers: new Dictionary<string, string> { ["Authorization"] = "Bearer " + forged });
        Assert.Equal(401, reply.Status);
    }
}
