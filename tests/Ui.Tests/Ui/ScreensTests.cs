using Governance.Ui.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Governance.Ui.Tests.Ui;

/// <summary>Every screen, as the role it is for, with data on it: served, accessible (axe, WCAG 2.2 A/AA), photographed.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ScreensTests(ConsoleFixture console)
{
    public static IEnumerable<object[]> Screens() =>
    [
        ["home", "/ui", "legal"],
        ["home-auditor", "/ui", "auditor"],
        ["inbox", "/ui/inbox", "legal"],
        ["deployment", "/ui/deployments/{blocked}", "legal"],
        ["deployment-as-of", "/ui/deployments/{blocked}?asOf={registered}", "auditor"],
        ["timeline", "/ui/deployments/{conditional}/timeline", "auditor"],
        ["portfolio", "/ui/deployments?sort=name&dir=asc", "architect"],
        ["waivers", "/ui/waivers", "legal"],
        ["reports", "/ui/reports", "auditor"],
        ["licenses", "/ui/licenses", "legal"],
        ["company", "/ui/company", "admin"],
        ["scanners", "/ui/scanners", "admin"],
        ["not-allowed", "/ui/scanners", "architect"],
    ];

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task every_screen_is_served_and_passes_axe_with_no_violations(string name, string path, string role)
    {
        var (conditional, blocked, _) = await Scene.TwoDeploymentsAsync(console.Api);
        // Approve one with a waiver, so the waiver register, decisions and timeline have something to show.
        await console.Api.DecideAsync(conditional, "approve", "Attribution will be shown before launch.");
        var registered = console.App.Clock.GetUtcNow();   // event timestamps come from the Api's clock
        var page = await console.SignInAsync(role, $"Screen {role}");

        var response = await page.GotoAsync(path.Replace("{blocked}", blocked.ToString()).Replace("{conditional}", conditional.ToString())
            .Replace("{registered}", Uri.EscapeDataString(registered.ToString("O"))));

        Assert.Equal(name == "not-allowed" ? 403 : 200, response!.Status);
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync(name);
    }
}
