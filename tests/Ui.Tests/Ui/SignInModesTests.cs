using System.Net;
using Governance.Api.Infrastructure;
using Microsoft.Extensions.Configuration;
using Governance.Api;
using Governance.Api.Tests.Infrastructure;
using Governance.Ui.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Governance.Ui.Tests.Ui;

/// <summary>
/// Which sign-in the console offers: OpenID Connect against the company's provider when one is configured (tested against
/// a provider the test hosts), the local page only on loopback, or when explicitly forced.
/// </summary>
public sealed class SignInModesTests : IAsyncLifetime
{
    private readonly TestOpenIdProvider _provider = new();
    private readonly List<IAsyncDisposable> _owned = [];

    public Task InitializeAsync() => _provider.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var o in _owned) await o.DisposeAsync();
        await _provider.DisposeAsync();
    }

    private async Task<ConsoleFactory> StartAsync(Dictionary<string, string> settings, Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>? kestrel = null)
    {
        var app = new ConsoleFactory(await PostgresServer.CreateDatabaseAsync("ui_signin"), settings, kestrel);
        _owned.Add(app);
        app.Start();
        return app;
    }

    /// <summary>A console configured with the test identity provider, and a browser page on it, not signed in.</summary>
    private async Task<IPage> OidcConsolePageAsync()
    {
        var app = await StartAsync(new()
        {
            ["Governance:Auth:Authority"] = _provider.Authority,
            ["Governance:Auth:Audience"] = "governance-api",
            ["Governance:Ui:ClientId"] = TestOpenIdProvider.ClientId,
            ["Governance:Ui:ClientSecret"] = TestOpenIdProvider.ClientSecret,
        });
        var browser = await new ConsoleFixture().LaunchAsync();
        _owned.Add(browser);
        return await ConsoleFixture.NewPageAsync(browser, app.BaseUrl);
    }

    [Fact]
    public async Task with_an_identity_provider_the_console_signs_in_with_openid_connect_and_maps_name_and_roles()
    {
        var page = await OidcConsolePageAsync();

        // A console page redirects to the provider, which signs Olivia in and sends her back with a code.
        await page.GotoAsync("/ui/inbox");
        await page.WaitForAddressAsync("**/ui/inbox");
        Assert.Equal(1, _provider.TokensIssued);
        Assert.Empty(_provider.Refusals);
        await Assertions.Expect(page.Locator("header")).ToContainTextAsync("Signed in as Olivia Oidc (legal)");
        Assert.DoesNotContain("Local sign-in", await page.InnerTextAsync("body"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox" })).ToBeVisibleAsync();

        // The local sign-in page is off: it offers the company account instead, and refuses a posted local sign-in.
        await page.GotoAsync("/ui/signin");
        Assert.Equal(0, await page.GetByLabel("Name").CountAsync());
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in with your company account" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task an_account_holding_several_governance_roles_is_not_signed_in_and_is_told_why()
    {
        _provider.Person["roles"] = new[] { "legal", "admin" };
        var page = await OidcConsolePageAsync();

        await page.GotoAsync("/ui/inbox");
        await page.WaitForAddressAsync("**/ui/signin?refused=*");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("several Governance roles (legal, admin)");
        Assert.DoesNotContain("Signed in as", await page.InnerTextAsync("header"));
        // No session was made: a console page still asks to sign in.
        await page.GotoAsync("/ui/signin");
        Assert.Equal(0, await page.Locator("text=Sign out").CountAsync());
    }

    [Fact]
    public async Task the_local_sign_in_is_off_when_the_api_listens_beyond_loopback()
    {
        var app = await StartAsync(new(), k => k.Listen(IPAddress.Any, 0));
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };

        var page = await http.GetStringAsync("/ui/signin");
        Assert.Contains("Local sign-in is off", page);
        Assert.DoesNotContain("name=\"Input.Name\"", page);
        // Posting the form anyway (with a valid antiforgery token from the page) signs nobody in.
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"");
        Assert.False(token.Success, "the page should hold no sign-in form at all");
        using var post = await http.PostAsync("/ui/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["Input.Name"] = "Mallory", ["Input.Role"] = "admin",
        }));
        Assert.NotEqual(HttpStatusCode.OK, post.StatusCode);
        Assert.False(post.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("__governance_console")));
    }

    [Fact]
    public async Task governance_ui_dev_sign_in_true_turns_the_local_sign_in_on_beyond_loopback()
    {
        var app = await StartAsync(new() { ["Governance:Ui:DevSignIn"] = "true" }, k => k.Listen(IPAddress.Any, 0));
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var page = await http.GetStringAsync("/ui/signin");
        Assert.Contains("name=\"Input.Name\"", page);
        Assert.Contains("Local sign-in.", page);
    }

    [Fact]
    public void an_identity_provider_without_a_console_client_id_or_with_dev_sign_in_stops_the_start()
    {
        GovernanceOptions Options(string? clientId, string devSignIn) => GovernanceOptions.From(new ConfigurationBuilder().AddInMemoryCollection(
            new Dictionary<string, string?>
            {
                ["Governance:Auth:Authority"] = "https://login.example.com", ["Governance:Auth:Audience"] = "governance",
                ["Governance:Ui:ClientId"] = clientId, ["Governance:Ui:DevSignIn"] = devSignIn,
            }).Build());
        Assert.Contains("Governance:Ui:ClientId", Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Options(null, "false")).Message);
        Assert.Contains("Governance:Ui:DevSignIn", Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Options("console", "true")).Message);
        Assert.Equal("console", Options("console", "false").Ui.ClientId);
    }

    [Fact]
    public void roles_count_from_a_role_claim_or_a_roles_array_and_only_governance_roles()
    {
        var principal = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
        [
            new("role", "auditor"), new("roles", "legal"), new("roles", "Domain Admins"),
        ]));
        Assert.Equal([Role.Auditor, Role.Legal], Governance.Api.Ui.ConsoleAuth.RolesOf(principal));
    }
}
