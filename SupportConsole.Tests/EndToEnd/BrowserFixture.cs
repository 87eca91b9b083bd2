using Microsoft.Playwright;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.EndToEnd;

/// <summary>
/// Debian's Chromium driven by Microsoft.Playwright (headless, its bundled driver, no browser download), shared by
/// the browser tests. Screenshots go to test-output/screenshots at the repository root.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryPaths.Root, "test-output", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run ./scripts/install-test-dependencies.sh (the README's test command does)");
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

/// <summary>Steps the browser tests share.</summary>
public static class ConsolePage
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(40);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPage, List<string>> Violations = new();

    /// <summary>What Chromium refused under the Content-Security-Policy on this page so far (scripts, styles, connections...).</summary>
    public static IReadOnlyList<string> CspViolations(IPage page)
    {
        var list = Violations.GetOrCreateValue(page);
        lock (list)
        {
            return [.. list];
        }
    }

    /// <summary>A new browser context (own cookies) signed in through the sign-in form as a demo account.</summary>
    public static async Task<IPage> SignInAsync(IBrowser browser, AppFactory app, string role, string returnUrl = "/")
    {
        var page = await SignInAsync(browser, app.Client().BaseAddress!, role, returnUrl);
        app.CloseBeforeStopping(() => page.Context.CloseAsync());
        return page;
    }

    /// <summary>The same against any instance (another process on 127.0.0.1).</summary>
    public static async Task<IPage> SignInAsync(IBrowser browser, Uri baseUrl, string role, string returnUrl = "/")
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
        var page = await context.NewPageAsync();
        var violations = Violations.GetOrCreateValue(page);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (violations)
                {
                    violations.Add(message.Text);
                }
            }
        };
        var (email, password) = SignedInClient.DemoAccounts[role];
        await page.GotoAsync($"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        await WaitForCircuitAsync(page);
        return page;
    }

    /// <summary>Navigates and waits until the interactive circuit is connected (clicks before that are lost).</summary>
    public static async Task GoAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitForCircuitAsync(page);
    }

    public static Task WaitForCircuitAsync(IPage page) =>
        page.WaitForSelectorAsync("[data-testid=circuit-ready]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png"), FullPage = true });
}
