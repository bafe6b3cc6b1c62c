using System.Net;
using Governance.Api;
using Governance.Ui.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Governance.Ui.Tests.Ui;

/// <summary>
/// The role × page matrix: every console page, for every role, is either served or an explicit "not allowed" page,
/// never an error. And the two doors never mix: REST takes no cookie and never redirects, the console takes no bearer token.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class AccessMatrixTests(ConsoleFixture console)
{
    private const string Id = "{id}";

    public static readonly (string Path, string[] Allowed)[] Matrix =
    [
        ("/ui", [Role.Architect, Role.Legal, Role.Auditor, Role.Admin]),
        ("/ui/inbox", [Role.Legal, Role.Auditor]),
        ("/ui/deployments", [Role.Architect, Role.Legal, Role.Auditor, Role.Admin]),
        ($"/ui/deployments/{Id}", [Role.Architect, Role.Legal, Role.Auditor, Role.Admin]),
        ($"/ui/deployments/{Id}/timeline", [Role.Legal, Role.Auditor]),
        ("/ui/waivers", [Role.Legal, Role.Auditor, Role.Admin]),
        ("/ui/reports", [Role.Auditor, Role.Legal]),
        ("/ui/licenses", [Role.Architect, Role.Legal, Role.Auditor, Role.Admin]),
        ("/ui/company", [Role.Admin, Role.Legal, Role.Architect, Role.Auditor]),
        ("/ui/scanners", [Role.Admin, Role.Auditor, Role.Legal]),
        ("/ui/deployments.csv", [Role.Architect, Role.Legal, Role.Auditor, Role.Admin]),
        ($"/ui/deployments/{Id}/bom/cyclonedx", [Role.Architect, Role.Legal, Role.Auditor, Role.Admin]),
        ($"/ui/deployments/{Id}/report.pdf", [Role.Auditor, Role.Legal]),
        ("/ui/reports/portfolio.pdf", [Role.Auditor, Role.Legal]),
    ];

    public static IEnumerable<object[]> Roles() => Role.All.Select(r => new object[] { r });

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task every_page_is_served_or_an_explicit_not_allowed_page_never_an_error(string role)
    {
        var id = await console.Api.RegisterAsync(Governance.Api.Tests.Infrastructure.Requests.Deployment(name: "Matrix " + role));
        var page = await console.SignInAsync(role, $"Matrix {role}");

        foreach (var (path, allowed) in Matrix)
        {
            var url = path.Replace(Id, id.ToString());
            var response = await page.Context.APIRequest.GetAsync(url);
            var body = await response.TextAsync();
            if (allowed.Contains(role))
                Assert.True(response.Status == 200, $"{role} {url}: expected the page, got {response.Status}");
            else
            {
                Assert.True(response.Status == 403, $"{role} {url}: expected 'not allowed' (403), got {response.Status}");
                Assert.Contains("<h1>Not allowed</h1>", body);
            }
        }
    }

    [Fact]
    public async Task the_navigation_shows_exactly_the_pages_the_role_is_served()
    {
        var page = await console.SignInAsync(Role.Architect, "Nav Architect");
        var links = await page.Locator("nav[aria-label=Main] a").AllInnerTextsAsync();
        Assert.Equal(["Home", "Deployments", "Licenses", "Company"], links);
    }

    [Fact]
    public async Task rest_routes_never_accept_the_console_cookie_and_never_redirect()
    {
        var page = await console.SignInAsync(Role.Legal, "Cookie Legal");
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "__governance_console");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        Assert.Equal("/ui", cookie.Path);

        foreach (var url in new[] { "/deployments", "/licenses", "/company" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
            using var response = await NoRedirects().SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        // Even a decision, with the cookie of a legal user: refused, nothing recorded.
        using var decide = new HttpRequestMessage(HttpMethod.Post, "/deployments/0193a5b0-0000-7000-8000-000000000001/decision")
        {
            Content = new StringContent("{\"decision\":\"approve\",\"justification\":\"x\"}", System.Text.Encoding.UTF8, "application/json"),
        };
        decide.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await NoRedirects().SendAsync(decide)).StatusCode);
    }

    [Fact]
    public async Task the_console_never_accepts_a_bearer_token()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ui/inbox");
        request.Headers.Authorization = new("Bearer", ConsoleFactory.Token(Role.Legal, "Bearer Legal"));
        using var response = await NoRedirects().SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/ui/signin", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task the_rest_api_document_lists_no_console_route()
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(await NoRedirects().GetStringAsync("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/deployments/{id}/decision", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/ui", StringComparison.Ordinal) || p.StartsWith("/_", StringComparison.Ordinal));
    }

    private HttpClient NoRedirects() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(console.BaseUrl) };
}
