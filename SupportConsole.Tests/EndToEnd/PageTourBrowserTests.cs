using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.EndToEnd;

/// <summary>
/// Every page each role can open renders, fits a 1366 px laptop screen without sideways scrolling, and is saved as a
/// screenshot under test-output/screenshots/&lt;role&gt;/ (scripts/refresh-screenshots.sh copies them into docs/screenshots).
/// One app for the class, with tickets of every kind in it.
/// </summary>
public sealed class PageTourBrowserTests(BrowserFixture browser, PageTourBrowserTests.Host host)
    : IClassFixture<BrowserFixture>, IClassFixture<PageTourBrowserTests.Host>
{
    private static readonly (string Path, string Name, string Marker)[] AgentPages =
    [
        ("/", "overview", "Overview"),
        ("/queues/suggest", "queue-suggest", "Suggest: waiting for approval"),
        ("/queues/escalated", "queue-escalated", "Escalated"),
        ("/queues/pending", "queue-pending", "Pending: waiting on the customer"),
        ("/queues/auto", "queue-auto", "Auto-resolved"),
        ("/queues/second-opinion", "second-opinions", "Second opinions"),
        ("{suggested}", "ticket-suggested", "Conversation"),
        ("{escalated}", "ticket-escalated", "Conversation"),
        ("{auto}", "ticket-auto-resolved", "Conversation"),
    ];

    private static readonly (string Path, string Name, string Marker)[] ManagerPages =
    [
        ("/bands", "bands", "Bands and thresholds"),
        ("/knowledge", "knowledge", "Knowledge base"),
        ("/knowledge/card-delivery", "knowledge-edit", "History"),
        ("/knowledge/card-delivery/history", "knowledge-history", "History of"),
        ("/evaluations", "evaluations", "Golden-set evaluations"),
        ("/audit", "audit-log", "Audit log"),
        ("/costs", "costs", "Costs"),
        ("/costs/customers", "costs-customers", "Per customer"),
        ("/costs/customers/C0007", "costs-customer", "C0007"),
        ("/deflection", "deflection", "Deflection"),
    ];

    private static readonly (string Path, string Name, string Marker)[] AdminPages =
    [
        ("/admin/kill-switch", "kill-switch", "Kill switch"),
        ("/admin/users", "users", "Users"),
        ("/admin/api-keys", "api-keys", "API keys"),
        ("/admin/models", "router-models", "Router models"),
        ("/admin/jobs", "background-jobs", "Background jobs"),
        ("/admin/email", "email", "Email"),
    ];

    [Theory]
    [InlineData("agent")]
    [InlineData("manager")]
    [InlineData("admin")]
    public async Task EveryPageOfTheRoleRendersAndFitsALaptopScreen(string role)
    {
        var tickets = await host.TicketsAsync();
        (string Path, string Name, string Marker)[] pages = role switch
        {
            "agent" => AgentPages,
            "manager" => [.. AgentPages, .. ManagerPages],
            _ => [.. AgentPages, .. ManagerPages, .. AdminPages],
        };
        var page = await ConsolePage.SignInAsync(browser.Browser, host.App, role, viewport: ConsolePage.Laptop);
        var overflowing = new List<string>();
        foreach (var (path, name, marker) in pages)
        {
            await ConsolePage.GoAsync(page, tickets.GetValueOrDefault(path, path));
            await page.GetByText(marker).First.WaitForAsync();
            await WhenLoadedAsync(page);
            if (await ConsolePage.HorizontalOverflowAsync(page) is > 0 and var overflow)
            {
                overflowing.Add($"{path} by {overflow} px");
            }

            // Each page once, as the first role that has it (the overview differs per role); these go into docs/.
            if (OwnPages(role).Any(p => p.Name == name) || name == "overview")
            {
                await ConsolePage.DocumentationScreenshotAsync(page, role, name);
            }
        }

        Assert.Empty(overflowing);

        // Every page ran its circuit, MudBlazor and its scripts under the Content-Security-Policy.
        Assert.Empty(ConsolePage.CspViolations(page));
        if (role == "agent")
        {
            // What an agent does not see: manager and admin pages say so, in a page with a way back.
            var response = await page.GotoAsync("/bands");
            Assert.Equal(403, response!.Status);
            await page.GetByText("You do not have access to this page").WaitForAsync();
            await ConsolePage.DocumentationScreenshotAsync(page, "agent", "error-403");
        }
    }

    [Fact]
    public async Task TheSignInPageKeepsTheEmailAfterAWrongPasswordAndSaysWhatWentWrong()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = host.App.Client().BaseAddress!.ToString(), ViewportSize = ConsolePage.Laptop });
        host.App.CloseBeforeStopping(() => context.CloseAsync());
        BrowserNetwork.Watch(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", "agent@demo.example");
        await page.FillAsync("#password", "not-the-password");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal) && url.Contains("error=", StringComparison.Ordinal));
        await page.WaitForFunctionAsync("() => document.getElementById('email').value === 'agent@demo.example'");

        Assert.Equal("agent@demo.example", await page.InputValueAsync("#email"));
        Assert.Empty(await page.InputValueAsync("#password"));
        Assert.DoesNotContain("agent", page.Url, StringComparison.Ordinal);
        Assert.Contains("not right", await page.InnerTextAsync("[data-testid=sign-in-error]"), StringComparison.Ordinal);
        await ConsolePage.DocumentationScreenshotAsync(page, "everyone", "sign-in-wrong-password");
        Assert.Contains("favicon", await page.EvaluateAsync<string>("() => document.querySelector('link[rel~=icon]').getAttribute('href')"), StringComparison.Ordinal);

        var missing = await page.GotoAsync("/no-such-page");
        Assert.Equal(404, missing!.Status);
        await ConsolePage.DocumentationScreenshotAsync(page, "everyone", "error-404");
    }

    private static (string Path, string Name, string Marker)[] OwnPages(string role) => role switch
    {
        "agent" => AgentPages,
        "manager" => ManagerPages,
        _ => AdminPages,
    };

    /// <summary>Waits until the page shows no loading bar (charts and tables load after the first render).</summary>
    private static async Task WhenLoadedAsync(IPage page)
    {
        try
        {
            await page.WaitForFunctionAsync("() => !document.querySelector('.mud-progress-linear-indeterminate, .mud-progress-circular-indeterminate, .mud-progress-linear .mud-progress-indeterminate')",
                null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        }
        catch (TimeoutException)
        {
            // A page that keeps a progress bar (a job running) is shown as it is.
        }
    }

    /// <summary>One app for the class, with a suggested, an escalated (vulnerable customer) and an auto-resolved ticket, a follow-up and a note.</summary>
    public sealed class Host : IDisposable
    {
        private readonly SemaphoreSlim _once = new(1, 1);
        private Dictionary<string, string>? _tickets;

        public AppFactory App { get; } = new();

        /// <summary>The placeholders of ticket pages ("{suggested}") and their addresses.</summary>
        public async Task<IReadOnlyDictionary<string, string>> TicketsAsync()
        {
            await _once.WaitAsync();
            try
            {
                return _tickets ??= new Dictionary<string, string>
                {
                    ["{suggested}"] = await ConversationAsync(),
                    ["{escalated}"] = await TicketAsync("tour-escalated", "C0004", "I don't want to live anymore, the debt on my card is too much."),
                    ["{auto}"] = await TicketAsync("tour-auto", "C0005", "How do I activate my new card?"),
                };
            }
            finally
            {
                _once.Release();
            }
        }

        private async Task<string> ConversationAsync()
        {
            var first = await TicketAsync("tour-suggested", "C0007", "Why was I charged a fee when I paid with my card?");
            await IngestAsync(new { externalId = "tour-suggested-b", customerId = "C0007", channel = "email", body = "It was in a shop in Lisbon, if that matters.", inReplyTo = "tour-suggested" });
            for (var i = 0; i < 6; i++)
            {
                await IngestAsync(new { externalId = $"tour-queue-{i}", customerId = $"C000{i + 1}", channel = i % 2 == 0 ? "email" : "chat", body = TourTexts[i] });
            }

            return first;
        }

        private static readonly string[] TourTexts =
        [
            "My card has not arrived yet, it has been two weeks.",
            "Why was I charged a fee when I paid with my card?",
            "I think I was scammed, there are payments I do not know.",
            "My lawyer says you charged me twice for the same thing.",
            "How long does a transfer to another bank take?",
            "Please close my account.",
        ];

        private async Task<string> TicketAsync(string externalId, string customerId, string body)
        {
            var ticket = await IngestAsync(new { externalId, customerId, channel = "email", body });
            return $"/tickets/{ticket.GetProperty("id").GetString()}";
        }

        private async Task<JsonElement> IngestAsync(object ticket)
        {
            using var response = await App.Client().PostAsJsonAsync("/api/v1/tickets", ticket);
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        public void Dispose()
        {
            App.Dispose();
            _once.Dispose();
        }
    }
}
