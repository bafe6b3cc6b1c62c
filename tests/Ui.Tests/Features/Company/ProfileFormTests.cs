using Governance.Api;
using Governance.Ui.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Governance.Ui.Tests.Features.Company;

/// <summary>An admin keeps the company's profile in the console: refused in place when wrong, previewed, then saved through PUT /company's handler.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ProfileFormTests(ConsoleFixture console)
{
    [Fact]
    public async Task an_admin_previews_and_saves_the_profile_and_a_wrong_domicile_is_refused_in_place()
    {
        var page = await console.SignInAsync(Role.Admin, "Ada Admin");
        try
        {
            await page.GotoAsync("/ui/company");
            var form = page.GetByRole(AriaRole.Region, new() { Name = "Change the profile" });
            await form.GetByLabel("Company name").FillAsync("Acme Bank GmbH");
            await form.GetByLabel("Domicile").FillAsync("Germany");
            await form.GetByRole(AriaRole.Button, new() { Name = "Preview impact" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Change the profile" }).Locator("#domicile-error"))
                .ToContainTextAsync("ISO 3166-1 alpha-2");

            form = page.GetByRole(AriaRole.Region, new() { Name = "Change the profile" });
            await form.GetByLabel("Domicile").FillAsync("de");
            await form.GetByLabel("None of these").CheckAsync();
            await form.GetByRole(AriaRole.Button, new() { Name = "Preview impact" }).ClickAsync();
            form = page.GetByRole(AriaRole.Region, new() { Name = "Change the profile" });
            await Assertions.Expect(form.GetByRole(AriaRole.Status)).ToContainTextAsync("Impact if adopted");
            await page.AssertAccessibleAsync();
            await page.ScreenshotAsync("company-profile");

            await form.GetByRole(AriaRole.Button, new() { Name = "Save profile" }).ClickAsync();
            await page.WaitForAddressAsync(url => url.Contains("/ui/company?adopted=profile&run="));
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The profile was saved");
            await Assertions.Expect(page.Locator("dl.facts").First).ToContainTextAsync("Acme Bank GmbH");
            var (_, reply, _) = await console.Api.SendAsync(HttpMethod.Get, "/company", "auditor");
            var company = reply!["company"]!;
            Assert.Equal(("Acme Bank GmbH", "DE"), ((string?)company["name"], (string?)company["domicile"]));
            Assert.Empty(company["businesses"]!.AsArray());   // "None of these": declared as none, not left undeclared
        }
        finally
        {
            // The scene's profile back, for the other tests of the collection.
            await console.Api.PutAsync("/company", "admin", new { name = "Acme GmbH", domicile = "DE" }, "Ada Admin");
        }
    }
}
