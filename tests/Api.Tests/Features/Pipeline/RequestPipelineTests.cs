using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Governance.Api.Auth;
using Governance.Api.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Governance.Api.Tests.Features.Pipeline;

/// <summary>
/// Issue 11, the request pipeline: text that cannot be stored, paging extremes, charsets and content types, malformed
/// uploads and tokens with several roles are refused as problems naming the field or header, never a 500.
/// </summary>
public sealed class RequestPipelineTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static JsonObject DeploymentBody() => JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Requests.Deployment(), Governance.Api.Infrastructure.Json.Options))!.AsObject();

    private static string With(JsonObject body, Action<JsonObject> change)
    {
        change(body);
        return body.ToJsonString();
    }

    private const string Nul = "bad\u0000text";

    /// <summary>Every class of stored text the issue lists: (url template, role, body with U+0000 in one field, the field's JSON path).</summary>
    public static IEnumerable<object[]> NulFields() =>
    [
        ["POST", "/deployments", "architect", With(DeploymentBody(), b => b["name"] = Nul), "name"],
        ["POST", "/deployments", "architect", With(DeploymentBody(), b => b["model"]!["name"] = Nul), "model.name"],
        ["POST", "/deployments", "architect", With(DeploymentBody(), b => b["usage"]!["regions"] = new JsonArray("eu-west-1", Nul)), "usage.regions[1]"],
        ["PUT", "/company", "admin", J(new { name = Nul, domicile = "DE" }), "name"],
        ["POST", "/deployments/{id}/decision", "legal", J(new { decision = "approve", justification = Nul }), "justification"],
        ["POST", "/deployments/{id}/decision", "legal",
            J(new { decision = "approve", justification = "x", waivers = new[] { new { findingCode = "a", expiresOn = "2030-01-01", reason = Nul } } }), "waivers[0].reason"],
        ["POST", "/deployments/{id}/retire", "legal", J(new { reason = Nul }), "reason"],
        ["POST", "/scanners", "admin", J(new { name = Nul, publicKey = "x" }), "name"],
        ["POST", "/scanners/{id}/revoke", "admin", J(new { reason = Nul }), "reason"],
        ["POST", "/deployments/{id}/scan-failures", "scanner", J(new { code = "artifact-mismatch", message = Nul }), "message"],
        ["POST", "/deployments/{id}/scan-failures", "scanner", J(new { code = "artifact-mismatch", message = "m", facts = new Dictionary<string, string> { ["k"] = Nul } }), "facts.k"],
        ["POST", "/deployments/{id}/attestations", "scanner",
            J(new { payloadType = "application/vnd.in-toto+json", payload = "e30=", signatures = new[] { new { keyid = Nul, sig = "AAAA" } } }), "signatures[0].keyid"],
    ];

    private static string J(object body) => System.Text.Json.JsonSerializer.Serialize(body);

    private static string Escape(string text) => System.Text.Json.JsonSerializer.Serialize(text)[1..^1];

    [Theory]
    [MemberData(nameof(NulFields))]
    public async Task a_nul_in_any_stored_text_is_a_400_naming_the_field(string method, string url, string role, string body, string field)
    {
        var reply = await api.Send(new HttpMethod(method), url.Replace("{id}", Guid.NewGuid().ToString()), role, body);
        AssertNames(reply, 400, field);
    }

    [Theory]
    [InlineData("""{"name":"\ud800","domicile":"DE"}""", "name")]
    [InlineData("""{"name":"a\udc00b","domicile":"DE"}""", "name")]
    [InlineData("""{"name":"ok\u0007","domicile":"DE"}""", "name")]
    public async Task a_lone_surrogate_or_control_character_is_a_400_naming_the_field(string body, string field) =>
        AssertNames(await api.Send(HttpMethod.Put, "/company", "admin", body), 400, field);

    [Fact]
    public async Task text_with_tabs_newlines_and_emoji_is_stored()
    {
        var reply = await api.Send(HttpMethod.Put, "/company", "admin", """{"name":"Acme\tGmbH\n\ud83d\ude00","domicile":"DE"}""");
        Assert.True(reply.Status < 300, reply.ToString());
        var company = (await api.Get("/company", "admin")).Json;
        Assert.Contains(Strings(company), t => t == "Acme\tGmbH\n😀");
    }

    [Fact]
    public async Task a_nul_in_a_query_parameter_is_a_400_naming_it() =>
        AssertNames(await api.Get("/deployments?license=llama%00", "architect"), 400, "license");

    [Fact]
    public async Task a_control_character_in_a_console_form_field_is_a_400_naming_it_before_antiforgery_or_binding()
    {
        AssertNames(await Raw(HttpMethod.Post, "/ui/signin", null, "Input.Name=Dana%07&Input.Role=legal", "application/x-www-form-urlencoded"), 400, "Input.Name");
        // U+0000 the form reader itself refuses; the refusal is still a problem, naming the form.
        AssertNames(await Raw(HttpMethod.Post, "/ui/signin", null, "Input.Name=Dana%00&Input.Role=legal", "application/x-www-form-urlencoded"), 400, "form");
    }

    [Theory]
    [InlineData("/deployments?page=2147483647&pageSize=500", "page")]
    [InlineData("/deployments?page=-2147483648", "page")]
    [InlineData("/deployments?page=99999999999", "page")]
    [InlineData("/deployments?pageSize=2147483647", "pageSize")]
    [InlineData("/deployments?cursor=AAAA", "cursor")]
    public async Task paging_extremes_are_a_400_naming_the_parameter(string url, string field) =>
        AssertNames(await api.Get(url, "architect"), 400, field);

    [Theory]
    [InlineData("after=9223372036854775807&limit=1000")]
    [InlineData("after=-1")]
    [InlineData("limit=2147483647")]
    [InlineData("after=99999999999999999999")]
    public async Task the_audit_trail_after_and_limit_extremes_are_never_a_500(string query)
    {
        var id = (string)(await api.Post("/deployments", "architect", Requests.Deployment(name: "trail"))).Json["id"]!;
        var reply = await api.Get($"/deployments/{id}/events?{query}", "auditor");
        if (reply.Status == 200) Assert.Empty(reply.Json["events"]!.AsArray());
        else AssertNames(reply, 400, query.Split('=')[0]);
    }

    [Theory]
    [InlineData("application/json; charset=utf-7")]
    [InlineData("application/json; charset=latin1")]
    [InlineData("application/json; charset=no-such-charset")]
    [InlineData("application/json; charset=\"utf-16\"")]
    public async Task an_unsupported_charset_is_a_415_problem_naming_content_type(string contentType)
    {
        var reply = await Raw(HttpMethod.Put, "/company", "admin", """{"name":"Acme","domicile":"DE"}""", contentType);
        AssertNames(reply, 415, "Content-Type");
    }

    [Fact]
    public async Task a_utf8_charset_is_accepted() =>
        Assert.True((await Raw(HttpMethod.Put, "/company", "admin", """{"name":"Acme","domicile":"DE"}""", "application/json; charset=utf-8")).Status < 300);

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    public async Task a_missing_or_foreign_content_type_is_a_415_with_a_problem_body(string? contentType)
    {
        var reply = await Raw(HttpMethod.Post, "/deployments", "architect", System.Text.Json.JsonSerializer.Serialize(Requests.Deployment()), contentType);
        Assert.Equal(415, reply.Status);
        Assert.StartsWith("application/problem+json", reply.ContentType);
        Assert.Equal(415, (int?)reply.Json["status"]);
    }

    [Fact]
    public async Task an_empty_bodied_refusal_gets_a_problem_body()
    {
        var reply = await Raw(HttpMethod.Delete, "/deployments", "architect", null, null);
        Assert.InRange(reply.Status, 400, 499);
        Assert.StartsWith("application/problem+json", reply.ContentType);
    }

    [Theory]
    [InlineData("multipart/form-data", "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF\r\n--x--\r\n")]
    [InlineData("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.7 truncated")]
    [InlineData("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nX-Long: {long}\r\n\r\n%PDF\r\n--x--\r\n")]
    [InlineData("multipart/form-data; boundary=x", "garbage without any boundary")]
    [InlineData("multipart/form-data; boundary=\"\"", "--\r\n\r\n")]
    public async Task malformed_multipart_to_verify_is_a_400_problem(string contentType, string body)
    {
        var reply = await Raw(HttpMethod.Post, "/reports/verify", "auditor", body.Replace("{long}", new string('h', 20_000)), contentType);
        Assert.True(reply.Status is 400 or 415, reply.ToString());
        Assert.StartsWith("application/problem+json", reply.ContentType);
        Assert.Contains(reply.Json["errors"]!.AsArray(), e => (string?)e!["name"] is "file" or "body" or "Content-Type");
    }

    [Fact]
    public async Task an_upload_over_the_stated_limit_is_a_413_problem_stating_it()
    {
        var reply = await api.Send(HttpMethod.Post, "/reports/verify", "auditor", json: null, headers: new Dictionary<string, string>
        {
            ["Content-Type"] = "application/pdf", ["Content-Length"] = ((100L << 20) + 1).ToString(),
        });
        Assert.Equal(413, reply.Status);
        Assert.StartsWith("application/problem+json", reply.ContentType);
        Assert.Contains("100 MiB", reply.Text);
        Assert.Equal(100L << 20, Governance.Api.Features.Reports.Verify.Endpoint.MaxBytes);
    }

    [Fact]
    public async Task a_token_with_two_roles_is_refused_with_a_401_saying_why()
    {
        var reply = await Raw(HttpMethod.Post, "/deployments", null, System.Text.Json.JsonSerializer.Serialize(Requests.Deployment()), "application/json",
            token: TokenWithRoles("architect", "legal"));
        Assert.Equal(401, reply.Status);
        Assert.StartsWith("application/problem+json", reply.ContentType);
        Assert.Contains("exactly one", (string?)reply.Json["detail"]);
        // The same person with one role is let in: the refusal is about the roles, not the signature.
        Assert.Equal(201, (await Raw(HttpMethod.Post, "/deployments", null, System.Text.Json.JsonSerializer.Serialize(Requests.Deployment()), "application/json",
            token: TokenWithRoles("architect"))).Status);
    }

    private static string TokenWithRoles(params string[] roles)
    {
        var claims = new List<Claim> { new("sub", "two-hats"), new("name", "Two Hats") };
        claims.AddRange(roles.Select(r => new Claim("role", r)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = SigningKey.Issuer, Audience = SigningKey.Audience, Subject = new ClaimsIdentity(claims),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(ApiFixture.SigningKey) { KeyId = "configured" }, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>A request with exactly the Content-Type given (or none), over the in-process server.</summary>
    private async Task<Reply> Raw(HttpMethod method, string url, string? role, string? body, string? contentType, string? token = null)
    {
        using var client = api.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.Remove("Content-Type");
            if (contentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        token ??= role is null ? null : ApiFixture.Token(role);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var type = response.Content.Headers.ContentType?.ToString() ?? "";
        return new Reply((int)response.StatusCode, type.Contains("json") && text.Length > 0 ? JsonNode.Parse(text) : null, text, "", type);
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var text) => [text],
        _ => [],
    };

    private static void AssertNames(Reply reply, int status, string field)
    {
        Assert.True(reply.Status == status, reply.ToString());
        Assert.StartsWith("application/problem+json", reply.ContentType);
        Assert.True(reply.Json["errors"]?.AsArray().Any(e => string.Equals((string?)e!["name"], field, StringComparison.OrdinalIgnoreCase)) == true,
            $"expected an error naming '{field}': {reply.Text}");
    }
}
