using Governance.Api;
using Governance.Api.Tests.Infrastructure;
using Governance.Ui.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Governance.Ui.Tests.Features.Deployments;

/// <summary>
/// Legal's story in the browser: inbox → a deployment with a blocking finding → approving without a waiver is refused
/// in place → waiving with an expiry and a reason approves it; a second tab that decides late is told the deployment
/// changed; and the same decision works with JavaScript off.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class LegalStoryTests(ConsoleFixture console)
{
    private static ILocator MainOf(IPage page) => page.Locator("main");

    [Fact]
    public async Task legal_approves_a_blocked_deployment_only_with_a_waiver_and_a_late_second_tab_sees_the_conflict()
    {
        var name = "US analytics " + Guid.NewGuid().ToString("N")[..6];
        var id = await console.Api.RegisterAsync(Requests.Deployment(name: name, regions: ["us-east-1"]));
        var page = await console.SignInAsync(Role.Legal, "Dana Legal");

        // The inbox lists it as new, non-compliant, with one blocking finding.
        await page.GotoAsync("/ui/inbox?reason=new");
        var row = page.Locator("tbody tr").Filter(new() { HasText = name });
        await Assertions.Expect(row).ToContainTextAsync("non-compliant");
        await Assertions.Expect(row).ToContainTextAsync("new");
        await row.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        await page.WaitForAddressAsync($"**/ui/deployments/{id}");

        // A second tab opens the same deployment now, and will decide late.
        var late = await page.Context.NewPageAsync();
        await late.GotoAsync($"/ui/deployments/{id}");

        // Approve without a waiver: refused in place, in words.
        await page.GetByLabel("Approve").CheckAsync();
        await page.GetByLabel("Justification").FillAsync("Processing in the US is covered by SCCs.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the decision" }).ClickAsync();
        var refusal = page.Locator("#refusal");
        await Assertions.Expect(refusal).ToContainTextAsync("The decision was not recorded");
        await Assertions.Expect(refusal).ToContainTextAsync("residency-violation");
        await Assertions.Expect(MainOf(page)).ToContainTextAsync("pending review");
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync("decide-refused");

        // Waive it with an expiry (a preset) and a reason: approved, and the page shows it (post-redirect-get).
        var waiver = page.GetByRole(AriaRole.Group, new() { Name = "Waiver for residency-violation" });
        await waiver.GetByRole(AriaRole.Button, new() { Name = "1 quarter" }).ClickAsync();
        waiver = page.GetByRole(AriaRole.Group, new() { Name = "Waiver for residency-violation" });
        await Assertions.Expect(waiver.GetByLabel("Waive residency-violation")).ToBeCheckedAsync();
        await Assertions.Expect(waiver.GetByLabel("Expires on")).ToHaveValueAsync(console.App.Clock.Today.AddMonths(3).ToString("yyyy-MM-dd"));
        await Assertions.Expect(page.GetByLabel("Justification")).ToHaveValueAsync("Processing in the US is covered by SCCs.");
        await waiver.GetByLabel("Reason").FillAsync("SCCs with the US processor until the EU region is live.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the decision" }).ClickAsync();
        await page.WaitForAddressAsync($"**/ui/deployments/{id}#decision-heading");
        await Assertions.Expect(MainOf(page)).ToContainTextAsync("approved by Dana Legal");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Waivers in force" })).ToContainTextAsync("SCCs with the US processor");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Record the decision" })).ToHaveCountAsync(0);

        // The late tab still shows the form of the version it read: its decision is refused with 409, nothing recorded.
        await late.GetByLabel("Reject").CheckAsync();
        await late.GetByLabel("Justification").FillAsync("Not without an EU region.");
        await late.GetByRole(AriaRole.Button, new() { Name = "Record the decision" }).ClickAsync();
        await Assertions.Expect(late.Locator("#refusal")).ToContainTextAsync("The deployment changed since you opened it");
        await late.AssertAccessibleAsync();
        await late.ScreenshotAsync("decide-conflict");
        await late.GetByRole(AriaRole.Link, new() { Name = "See what changed since you opened it" }).ClickAsync();
        await Assertions.Expect(MainOf(late)).ToContainTextAsync("pending review → approved");
        await late.AssertAccessibleAsync();
        await late.ScreenshotAsync("changes");

        var (_, events, _) = await console.Api.SendAsync(HttpMethod.Get, $"/deployments/{id}/events", "auditor");
        Assert.Single(events!["events"]!.AsArray(), e => (string?)e!["type"] is "deployment_approved" or "deployment_rejected");
    }

    [Fact]
    public async Task the_same_decision_works_with_javascript_off()
    {
        var name = "No-JS analytics " + Guid.NewGuid().ToString("N")[..6];
        var id = await console.Api.RegisterAsync(Requests.Deployment(name: name, regions: ["us-east-1"]));
        var page = await console.SignInAsync(Role.Legal, "Noah Legal", javaScript: false);
        await page.GotoAsync($"/ui/deployments/{id}");

        await page.GetByLabel("Approve").CheckAsync();
        await page.GetByLabel("Justification").FillAsync("Accepted for one year.");
        var waiver = page.GetByRole(AriaRole.Group, new() { Name = "Waiver for residency-violation" });
        await waiver.GetByLabel("Waive residency-violation").CheckAsync();
        await waiver.GetByLabel("Expires on").FillAsync(console.App.Clock.Today.AddYears(1).ToString("yyyy-MM-dd"));
        await waiver.GetByLabel("Reason").FillAsync("Board accepted the risk.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the decision" }).ClickAsync();

        await page.WaitForAddressAsync($"**/ui/deployments/{id}#decision-heading");
        await Assertions.Expect(MainOf(page)).ToContainTextAsync("approved by Noah Legal");
    }

    [Fact]
    public async Task a_decision_without_a_justification_is_refused_beside_the_field()
    {
        var id = await console.Api.RegisterAsync(Requests.Deployment(name: "Unjustified " + Guid.NewGuid().ToString("N")[..6]));
        var page = await console.SignInAsync(Role.Legal, "Dana Legal");
        await page.GotoAsync($"/ui/deployments/{id}");
        await page.GetByLabel("Reject").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the decision" }).ClickAsync();

        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync("justification");
        await Assertions.Expect(page.Locator("#justification-error")).ToBeVisibleAsync();
        await page.AssertAccessibleAsync();
        var (_, d, _) = await console.Api.SendAsync(HttpMethod.Get, $"/deployments/{id}", "legal");
        Assert.Equal("pending_review", (string?)d!["status"]);
    }

    [Fact]
    public async Task only_legal_sees_the_decision_form()
    {
        var id = await console.Api.RegisterAsync(Requests.Deployment(name: "Read only " + Guid.NewGuid().ToString("N")[..6]));
        var page = await console.SignInAsync(Role.Auditor, "Avi Auditor");
        await page.GotoAsync($"/ui/deployments/{id}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Decide" })).ToHaveCountAsync(0);
    }
}
