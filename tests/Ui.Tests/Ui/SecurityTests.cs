using System.Net;
using Governance.Api;
using Governance.Api.Ui;
using Governance.Ui.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Governance.Ui.Tests.Ui;

[Collection(ConsoleCollection.Name)]
public sealed class SecurityTests(ConsoleFixture console)
{
    [Fact]
    public async Task a_cross_site_post_without_the_antiforgery_token_is_refused()
    {
        // The victim is signed in; the attacker's page posts to the console with the victim's cookie but cannot read the token.
        var page = await console.SignInAsync(Role.Legal, "Victim Legal");
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "__governance_console");
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(console.BaseUrl) };

        foreach (var (url, form) in new[]
                 {
                     ("/ui/signout", new Dictionary<string, string>()),
                     ("/ui/signin", new Dictionary<string, string> { ["_handler"] = "signin", ["Input.Name"] = "Mallory", ["Input.Role"] = "admin" }),
                     ("/ui/reports", new Dictionary<string, string> { ["_handler"] = "verify" }),
                 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
            request.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
            request.Headers.Add("Origin", "https://attacker.example");
            using var response = await http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"POST {url} without a token answered {(int)response.StatusCode}");
            Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("__governance_console")),
                $"POST {url} without a token changed the session");
        }
        // Still signed in: the forged sign-out did nothing.
        await page.GotoAsync("/ui");
        Assert.Contains("Signed in as Victim Legal", await page.InnerTextAsync("header"));
    }

    [Fact]
    public async Task every_console_response_carries_a_content_security_policy_allowing_only_its_own_scripts()
    {
        var page = await console.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") violations.Add(m.Text); };
        var response = await page.GotoAsync("/ui/signin");
        var csp = await response!.HeaderValueAsync("content-security-policy");
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        // blazor.web.js loads and runs under the policy: no violation, no failed script.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Empty(violations);
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.Blazor === 'object'"), "blazor.web.js did not load");
    }

    [Fact]
    public async Task signing_out_ends_the_session()
    {
        var page = await console.SignInAsync(Role.Auditor, "Leaving Auditor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForAddressAsync("**/ui/signin");
        await page.GotoAsync("/ui/reports");
        Assert.Contains("/ui/signin", page.Url);
    }

    [Fact]
    public async Task a_session_slides_with_use_for_an_hour_but_never_outlives_eight_hours()
    {
        var page = await console.SignInAsync(Role.Auditor, "Long Auditor");
        // Used every 50 minutes the cookie keeps sliding...
        for (var i = 0; i < 9; i++)
        {
            console.App.Clock.Advance(TimeSpan.FromMinutes(50));
            var r = await page.GotoAsync("/ui/licenses");
            Assert.True(page.Url.EndsWith("/ui/licenses"), $"signed out after {(i + 1) * 50} minutes of use");
            Assert.Equal(200, r!.Status);
        }
        // ...until eight hours after signing in.
        console.App.Clock.Advance(TimeSpan.FromMinutes(40));
        await page.GotoAsync("/ui/licenses");
        Assert.Contains("/ui/signin", page.Url);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://[::1]:5000", true)]
    [InlineData("http://0.0.0.0:80", false)]
    [InlineData("http://[::]:80", false)]
    [InlineData("http://+:80", false)]
    [InlineData("http://*:8080", false)]
    [InlineData("https://governance.example.com", false)]
    public void only_loopback_addresses_count_as_local(string url, bool loopback) =>
        Assert.Equal(loopback, ConsoleAuth.IsLoopbackUrl(url));
}
