using Governance.Api;
using Governance.Api.Tests.Infrastructure;
using Governance.Ui.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Governance.Ui.Tests.Features.Reports;

/// <summary>
/// The auditor's story in the browser: the timeline names the legal user who decided, "as of" before the decision shows
/// the deployment pending, the report downloads as a PDF, and Verify recognises it, but not a copy with one byte changed.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class AuditorStoryTests(ConsoleFixture console)
{
    [Fact]
    public async Task an_auditor_traces_the_decision_downloads_the_report_and_verifies_it()
    {
        var id = await console.Api.RegisterAsync(Requests.Deployment(name: "Auditor story " + Guid.NewGuid().ToString("N")[..6]));
        console.App.Clock.Advance(TimeSpan.FromMinutes(1));   // the decision comes later than the registration
        await console.Api.DecideAsync(id, "approve", "Attribution shown on the product page.", legal: "Dana Legal");
        var page = await console.SignInAsync(Role.Auditor, "Avi Auditor");

        // The timeline: the decision with the legal user's name.
        await page.GotoAsync($"/ui/deployments/{id}/timeline");
        var decision = page.Locator("ol.timeline > li").Filter(new() { HasText = "Approved:" });
        await Assertions.Expect(decision).ToContainTextAsync("Dana Legal (legal)");
        await Assertions.Expect(page.Locator("ol.timeline > li")).ToHaveCountAsync(3);

        // As of a moment before the decision: pending review. The entry just before the decision links to that state.
        await page.Locator("ol.timeline > li").Nth(1).GetByRole(AriaRole.Link, new() { NameRegex = new("State just after") }).ClickAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("pending review");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("As it stood at");
        Assert.DoesNotContain("approved by", await page.Locator("main").InnerTextAsync());

        // The "As of" field does the same for any instant typed in.
        await page.GotoAsync($"/ui/deployments/{id}");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("approved by Dana Legal");

        // The report now, as a PDF.
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Download the report (PDF)" }).ClickAsync());
        var pdfPath = Path.Combine(Path.GetTempPath(), $"report-{Guid.NewGuid():N}.pdf");
        await download.SaveAsAsync(pdfPath);
        var pdf = await File.ReadAllBytesAsync(pdfPath);
        Assert.True(pdf.AsSpan().StartsWith("%PDF-"u8), "the download is a PDF");

        // Verify: issued by this Governance, for this deployment, to the auditor who downloaded it.
        await page.GotoAsync("/ui/reports");
        await page.GetByLabel("PDF").SetInputFilesAsync(pdfPath);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        var verdict = page.GetByRole(AriaRole.Status).Filter(new() { HasText = "SHA-256 of the file" });
        await Assertions.Expect(verdict).ToContainTextAsync("Issued by this Governance");
        await Assertions.Expect(verdict).ToContainTextAsync("Avi Auditor");
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync("reports-verified");

        // One changed byte: not issued here.
        pdf[pdf.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(pdfPath, pdf);
        await page.GetByLabel("PDF").SetInputFilesAsync(pdfPath);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "SHA-256 of the file" }))
            .ToContainTextAsync("Not issued by this Governance");
        File.Delete(pdfPath);
    }

    [Fact]
    public async Task verify_without_a_file_says_which_field_is_missing()
    {
        var page = await console.SignInAsync(Role.Auditor, "Avi Auditor");
        await page.GotoAsync("/ui/reports");
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync("Choose the PDF to verify.");
        await page.AssertAccessibleAsync();
    }
}
