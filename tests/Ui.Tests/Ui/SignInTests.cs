using Governance.Ui.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Governance.Ui.Tests.Ui;

[Collection(ConsoleCollection.Name)]
public sealed class SignInTests(ConsoleFixture console)
{
    [Fact]
    public async Task a_person_signs_in_locally_with_a_name_and_a_role_and_lands_where_they_were_going()
    {
        var page = await console.NewPageAsync();
        await page.GotoAsync("/ui/licenses");
        Assert.Contains("/ui/signin", page.Url);
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync("signin");

        await page.GetByLabel("Name").FillAsync("Dana Legal");
        await page.GetByLabel("Role").SelectOptionAsync("legal");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await page.WaitForAddressAsync("**/ui/licenses");
        await Assertions.Expect(page.Locator("header")).ToContainTextAsync("Signed in as Dana Legal (legal)");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Local sign-in");
    }
}
