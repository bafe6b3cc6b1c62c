using Governance.Api;
using Governance.Api.Tests.Infrastructure;
using Governance.Ui.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Governance.Ui.Tests.Features.Deployments;

/// <summary>The inbox says why each deployment is back; the portfolio filters, sorts and exports what it shows.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ListsTests(ConsoleFixture console)
{
    [Fact]
    public async Task a_page_number_past_the_end_is_an_empty_page_not_an_error()
    {
        var page = await console.SignInAsync(Role.Legal, "Dana Legal");
        foreach (var list in new[] { "/ui/inbox", "/ui/deployments", "/ui/reports" })
        {
            var response = await page.GotoAsync($"{list}?page=2147483647");
            Assert.Equal(200, response!.Status);
            Assert.Equal(0, await page.Locator("main tbody tr").CountAsync());
        }
    }

    [Fact]
    public async Task the_inbox_says_a_deployment_is_back_because_its_usage_changed_and_filters_by_that_reason()
    {
        var name = "Drifting " + Guid.NewGuid().ToString("N")[..6];
        var id = await console.Api.RegisterAsync(Requests.Deployment(name: name));
        await console.Api.DecideAsync(id, "approve", "Fine in the EU.");
        await console.Api.PostAsync($"/deployments/{id}/usage", "architect", new { regions = new[] { "eu-west-1", "us-east-1" } });

        var page = await console.SignInAsync(Role.Legal, "Dana Legal");
        await page.GotoAsync("/ui");
        await page.GetByRole(AriaRole.List, new() { Name = "Review required by reason" }).GetByRole(AriaRole.Link, new() { NameRegex = new("usage changed") }).ClickAsync();
        await page.WaitForAddressAsync("**/ui/inbox?reason=usage-changed");
        var row = page.Locator("tbody tr").Filter(new() { HasText = name });
        await Assertions.Expect(row).ToContainTextAsync("usage changed");
        await Assertions.Expect(row).ToContainTextAsync("non-compliant");

        await page.GotoAsync("/ui/inbox?reason=new");
        await Assertions.Expect(page.Locator("tbody tr").Filter(new() { HasText = name })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task the_portfolio_filters_sorts_and_exports_exactly_what_it_shows()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        await console.Api.RegisterAsync(Requests.Deployment(name: $"A eu {tag}"));
        await console.Api.RegisterAsync(Requests.Deployment(name: $"B us {tag}", regions: ["us-east-1"]));
        await console.Api.RegisterAsync(Requests.Deployment(name: $"C us {tag}", regions: ["us-east-1"], dataClasses: ["analytics"]));
        var page = await console.SignInAsync(Role.Architect, "Ari Architect");

        await page.GotoAsync("/ui/deployments");
        await page.GetByLabel("Search by name or model").FillAsync(tag);
        await page.GetByLabel("Region").FillAsync("us-east-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await page.WaitForAddressAsync(url => url.Contains("region=us-east-1"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Name", Exact = true }).ClickAsync();   // ascending
        await page.GetByRole(AriaRole.Link, new() { Name = "Name ▲", Exact = true }).ClickAsync(); // descending, once the ascending page shows
        await page.WaitForAddressAsync(url => url.Contains("dir=desc"));

        await Assertions.Expect(page.Locator("tbody tr td:first-child")).ToHaveTextAsync([$"C us {tag}", $"B us {tag}"]);
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("2 deployments match.");

        var csvLink = await page.GetByRole(AriaRole.Link, new() { Name = "Download CSV of these deployments" }).GetAttributeAsync("href");
        var csv = await (await page.Context.APIRequest.GetAsync(csvLink!)).TextAsync();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,name,model,license,status,verdict", lines[0]);
        Assert.Equal([$"C us {tag}", $"B us {tag}"], lines.Skip(1).Select(l => l.Split(',')[1]));
    }
}
