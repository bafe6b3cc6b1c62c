using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Governance.Api.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Governance.Ui.Tests.Infrastructure;

/// <summary>
/// One console and one browser for a collection of tests; each test gets a fresh browser context (its own cookies),
/// so tests never share a session. Debian's chromium: Playwright cannot download its own browser here.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    /// <summary>Settings for fixtures about configuration (an identity provider, dev sign-in).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public ConsoleFactory App { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public Api Api { get; private set; } = null!;
    public string BaseUrl => App.BaseUrl;

    public async Task InitializeAsync()
    {
        App = new ConsoleFactory(await PostgresServer.CreateDatabaseAsync("ui"), Settings);
        App.Start();
        Api = new Api(App.CreateClient());
        Browser = await LaunchAsync();
    }

    public async Task<IBrowser> LaunchAsync()
    {
        _playwright ??= await Playwright.CreateAsync();
        return await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await App.DisposeAsync();
    }

    /// <summary>A new browser context, not signed in.</summary>
    public Task<IPage> NewPageAsync(bool javaScript = true) => NewPageAsync(Browser, BaseUrl, javaScript);

    /// <summary>A new browser context on a console at <paramref name="baseUrl"/> (another app than the fixture's), not signed in.</summary>
    public static async Task<IPage> NewPageAsync(IBrowser browser, string baseUrl, bool javaScript = true)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl, JavaScriptEnabled = javaScript, AcceptDownloads = true, Locale = "en-GB", TimezoneId = "UTC",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        // Limits on waiting, not speed targets: in a full CI run two cores are shared by four test assemblies and the
        // browser, and a page can take tens of seconds. What a test asserts never depends on how long it waited.
        context.SetDefaultTimeout(120_000);
        context.SetDefaultNavigationTimeout(120_000);
        Assertions.SetDefaultExpectTimeout(60_000);
        return await context.NewPageAsync();
    }


    /// <summary>A new browser context signed in through the local sign-in page, as a person would.</summary>
    public async Task<IPage> SignInAsync(string role, string name, bool javaScript = true)
    {
        var page = await NewPageAsync(javaScript);
        await page.GotoAsync("/ui/signin");
        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByLabel("Role").SelectOptionAsync(role);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForAddressAsync(url => !url.Contains("/ui/signin"));
        return page;
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}

public static class PageChecks
{
    /// <summary>
    /// How a test waits for an address after a click: by reading the page's address (set when a navigation commits) until
    /// it matches, never by waiting for a load event. Under a full CI run on a busy machine, runs saw the address change
    /// and the load event never reported (Playwright logged only "NetworkIdle") until the two-minute limit. Playwright's
    /// own WaitForURLAsync waits for that event whenever the address already matches, whatever its WaitUntil says (it
    /// turns Commit into no load state and no load state into Load), so a fast click that had already arrived failed
    /// there. What a test reads next goes through locators and web-first assertions, which wait for the content itself.
    /// </summary>
    public static async Task WaitForAddressAsync(this IPage page, Func<string, bool> matches)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!matches(page.Url))
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException($"The page stayed at {page.Url} for two minutes.");
            await Task.Delay(25);
        }
    }

    /// <summary><see cref="WaitForAddressAsync(IPage, Func{string, bool})"/> for a Playwright-style glob: <c>**</c> any text, <c>*</c> any text without a slash.</summary>
    public static Task WaitForAddressAsync(this IPage page, string glob)
    {
        var pattern = new System.Text.RegularExpressions.Regex(
            "^" + System.Text.RegularExpressions.Regex.Escape(glob).Replace(@"\*\*", ".*").Replace(@"\*", "[^/]*") + "$");
        return page.WaitForAddressAsync(pattern.IsMatch);
    }

    private static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    /// <summary>axe with the WCAG 2.2 A/AA rules: no violation is allowed.</summary>
    public static async Task AssertAccessibleAsync(this IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. WcagTags] } });
        var violations = result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}").ToList();
        Assert.True(violations.Count == 0, $"axe found on {page.Url}:\n{string.Join("\n", violations)}");
    }

    /// <summary>
    /// Saves a full-page PNG under TestResults/screenshots (or $GOVERNANCE_SCREENSHOTS) for a person to look at, and the
    /// first screenful into $GOVERNANCE_DOCS_SCREENSHOTS when set.
    /// </summary>
    public static async Task ScreenshotAsync(this IPage page, string name)
    {
        var dir = Environment.GetEnvironmentVariable("GOVERNANCE_SCREENSHOTS") is { Length: > 0 } d
            ? d
            : Path.Combine(ApiFixture.RepoRoot, "tests", "Ui.Tests", "TestResults", "screenshots");
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
        // For docs/ui.md: the first screenful only, small enough to keep in the repository.
        if (Environment.GetEnvironmentVariable("GOVERNANCE_DOCS_SCREENSHOTS") is { Length: > 0 } docs)
        {
            var folder = Path.IsPathRooted(docs) ? docs : Path.Combine(ApiFixture.RepoRoot, docs);
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = false });
        }
    }
}
