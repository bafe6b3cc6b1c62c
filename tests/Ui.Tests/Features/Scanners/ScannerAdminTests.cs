using System.Security.Cryptography;
using Governance.Api;
using Governance.Ui.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Governance.Ui.Tests.Features.Scanners;

[Collection(ConsoleCollection.Name)]
public sealed class ScannerAdminTests(ConsoleFixture console)
{
    [Fact]
    public async Task an_admin_registers_a_scanner_key_and_revokes_it_with_a_reason()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var name = "gpu-scanner-" + Guid.NewGuid().ToString("N")[..6];
        var page = await console.SignInAsync(Role.Admin, "Ada Admin");
        await page.GotoAsync("/ui/scanners");

        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByLabel("Public key").FillAsync(key.ExportSubjectPublicKeyInfoPem());
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"{name} is registered with key sha256:");

        // The same key twice: refused in place, as the API refuses it.
        await page.GetByLabel("Name").FillAsync(name + "-again");
        await page.GetByLabel("Public key").FillAsync(key.ExportSubjectPublicKeyInfoPem());
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("already registered");

        var revoke = page.GetByRole(AriaRole.Form, new() { Name = $"Revoke {name}" });
        await Assertions.Expect(revoke).ToContainTextAsync("Revoking withdraws 0 attestations");
        await revoke.GetByLabel($"Reason for revoking {name}").FillAsync("Host decommissioned.");
        await revoke.GetByRole(AriaRole.Button, new() { Name = $"Revoke {name}" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"The key of {name} was revoked");
        await Assertions.Expect(page.Locator("tr").Filter(new() { HasText = name })).ToContainTextAsync("Host decommissioned.");
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync("scanners-admin");
    }
}
