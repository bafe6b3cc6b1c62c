using Governance.Api;
using Governance.Api.Tests.Infrastructure;
using Governance.Ui.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Governance.Ui.Tests.Features.Company;

/// <summary>Preview impact lists exactly the deployments that adopting would change, and adopting then changes exactly those.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class PreviewImpactTests(ConsoleFixture console)
{
    [Fact]
    public async Task preview_lists_exactly_what_adopting_then_changes()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        // Personal data in the US (blocked today), analytics data in the US (fine today), an approved one in the EU.
        var us = await console.Api.RegisterAsync(Requests.Deployment(name: $"Preview US personal {tag}", regions: ["us-east-1"]));
        var analytics = await console.Api.RegisterAsync(Requests.Deployment(name: $"Preview US analytics {tag}", regions: ["us-east-1"], dataClasses: ["analytics"]));
        var eu = await console.Api.RegisterAsync(Requests.Deployment(name: $"Preview EU {tag}"));
        await console.Api.DecideAsync(eu, "approve", "Fine in the EU.");
        var before = await Snapshot();

        var page = await console.SignInAsync(Role.Legal, "Dana Legal");
        try
        {
        await page.GotoAsync("/ui/company");
        // New rules: personal data anywhere in the EU or the US, analytics data only in the EU.
        // The page has a form per kind of change; the rules are in their own region.
        var rules = page.GetByRole(AriaRole.Region, new() { Name = "Change the rules" });
        await rules.GetByLabel("Data residency").FillAsync("personal: eu-*, us-*\nanalytics: eu-*");
        await rules.GetByRole(AriaRole.Button, new() { Name = "Preview impact" }).ClickAsync();

        var impact = page.GetByRole(AriaRole.Table, new() { Name = "Deployments that adopting would change" });
        var previewed = (await impact.Locator("tbody tr td:first-child").AllInnerTextsAsync()).Where(n => n.EndsWith(tag)).Order().ToList();
        Assert.Equal([$"Preview US analytics {tag}", $"Preview US personal {tag}"], previewed);
        Assert.Equal(before, await Snapshot());   // a preview writes nothing
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync("company-preview");

        await page.GetByRole(AriaRole.Button, new() { Name = "Adopt" }).ClickAsync();
        await page.WaitForAddressAsync(url => url.Contains("/ui/company?adopted=rules&run="));
        // The re-assessment runs in the background: wait for its run to finish, then compare.
        await FinishedAsync(Uri.UnescapeDataString(new Uri(page.Url).Query.Split("run=")[1]));
        var after = await Snapshot();
        var changed = after.Where(a => before.Single(b => b.Id == a.Id) != a).Select(a => a.Name).Where(n => n.EndsWith(tag)).Order().ToList();
        Assert.Equal(previewed, changed);
        await Assertions.Expect(page.GetByLabel("Data residency")).ToHaveValueAsync("personal: eu-*, us-*\nanalytics: eu-*");

        }
        finally
        {
            // Put the defaults back for the other tests of the collection.
            var reset = await console.Api.PutAsync("/company/rules", "legal", new { residency = new[] { new { dataClass = "personal", allowedRegions = new[] { "eu-*" } } }, deniedOrigins = Array.Empty<string>(), attestationRequired = false });
            await FinishedAsync((string)reset["reassessment"]!["id"]!);
        }
    }

    /// <summary>Waits (at most a minute) for a background re-assessment run to finish.</summary>
    private async Task FinishedAsync(string runId)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var (_, run, _) = await console.Api.SendAsync(HttpMethod.Get, $"/reassessments/{Uri.EscapeDataString(runId)}", "auditor");
            if ((string?)run?["status"] is "finished" or "superseded") return;
            Assert.True(DateTime.UtcNow < deadline, $"re-assessment {runId} did not finish: {run?.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    private async Task<List<(Guid Id, string Name, string? Verdict, string? Status)>> Snapshot()
    {
        var (_, list, _) = await console.Api.SendAsync(HttpMethod.Get, "/deployments?pageSize=500", "auditor");
        return list!["items"]!.AsArray().Select(d => (Guid.Parse((string)d!["id"]!), (string)d["name"]!, (string?)d["assessment"]?["verdict"], (string?)d["status"]))
            .OrderBy(d => d.Item1).ToList();
    }
}
