using System.Collections.Concurrent;
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
    private int _externalRequestsBefore;

    public IBrowser Browser { get; private set; } = null!;

    private bool Started => _playwright is not null;

    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryPaths.Root, "test-output", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run ./scripts/install-test-dependencies.sh (the README's test command does)");
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        _externalRequestsBefore = BrowserNetwork.ExternalRequests.Count;
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
        if (!Started)
        {
            return;
        }

        await Browser.DisposeAsync();
        _playwright!.Dispose();

        // Nothing the console serves may make the browser fetch from another machine (a CDN font, a script, an image).
        var external = BrowserNetwork.ExternalRequests.Skip(_externalRequestsBefore).ToList();
        if (external.Count > 0)
        {
            throw new InvalidOperationException($"the browser requested {external.Count} URLs outside 127.0.0.1: {string.Join(", ", external.Take(10))}");
        }
    }
}

/// <summary>Every request a browser context made to another machine, across the browser tests.</summary>
public static class BrowserNetwork
{
    private static readonly ConcurrentQueue<string> External = new();

    public static IReadOnlyList<string> ExternalRequests => [.. External];

    /// <summary>Records the requests of <paramref name="context"/> that leave the machine.</summary>
    public static void Watch(IBrowserContext context) => context.Request += (_, request) =>
    {
        if (LeavesTheMachine(request.Url))
        {
            External.Enqueue($"{request.Method} {request.Url}");
        }
    };

    /// <summary>Network URLs (http, https, ws, wss) to anything but loopback; data: and blob: URLs stay in the page.</summary>
    public static bool LeavesTheMachine(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ws" or "wss" && !uri.IsLoopback;
}

/// <summary>Steps the browser tests share.</summary>
public static class ConsolePage
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(40);

    /// <summary>A laptop screen, the size the console is designed for.</summary>
    public static readonly ViewportSize Laptop = new() { Width = 1366, Height = 900 };

    /// <summary>A phone held upright.</summary>
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

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

    /// <summary>
    /// A new browser context (own cookies) signed in through the sign-in form as a demo account; optionally with its own
    /// screen size and time zone (an IANA name such as Asia/Tokyo).
    /// </summary>
    public static async Task<IPage> SignInAsync(IBrowser browser, AppFactory app, string role, string returnUrl = "/", ViewportSize? viewport = null,
        string? timeZone = null)
    {
        var (email, password) = SignedInClient.DemoAccounts[role];
        var page = await SignInWithPasswordAsync(browser, app.Client().BaseAddress!, email, password, returnUrl, viewport, timeZone);
        app.CloseBeforeStopping(() => page.Context.CloseAsync());
        return page;
    }

    /// <summary>The same against any instance (another process on 127.0.0.1).</summary>
    public static Task<IPage> SignInAsync(IBrowser browser, Uri baseUrl, string role, string returnUrl = "/")
    {
        var (email, password) = SignedInClient.DemoAccounts[role];
        return SignInWithPasswordAsync(browser, baseUrl, email, password, returnUrl);
    }

    /// <summary>A new browser context signed in with any account.</summary>
    public static async Task<IPage> SignInWithPasswordAsync(IBrowser browser, Uri baseUrl, string email, string password, string returnUrl = "/",
        ViewportSize? viewport = null, string? timeZone = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 },
            TimezoneId = timeZone,
        });
        context.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
        BrowserNetwork.Watch(context);
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

    /// <summary>Waits until the page listens for its single-key shortcuts (they are wired after the first interactive render).</summary>
    public static Task WaitForShortcutsAsync(IPage page) =>
        page.WaitForSelectorAsync("html[data-shortcuts=on]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });

    /// <summary>A full-page screenshot; <paramref name="name"/> may hold a folder ("agent/queue-suggest").</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png"), FullPage = true });

    /// <summary>
    /// A full-page screenshot for the documentation, test-output/screenshots/&lt;folder&gt;/&lt;name&gt;.jpg (JPEG keeps
    /// docs/screenshots small); scripts/refresh-screenshots.sh copies these folders into docs/screenshots.
    /// </summary>
    public static Task DocumentationScreenshotAsync(IPage page, string folder, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(BrowserFixture.ScreenshotDirectory, folder, name + ".jpg"), FullPage = true, Type = ScreenshotType.Jpeg, Quality = 80,
        });

    /// <summary>How far the page scrolls sideways (0 when everything fits the width of the window).</summary>
    public static Task<int> HorizontalOverflowAsync(IPage page) =>
        page.EvaluateAsync<int>("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - document.documentElement.clientWidth");
}
