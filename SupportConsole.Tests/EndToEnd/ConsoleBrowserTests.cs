using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SupportConsole.Data.Entities;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.EndToEnd;

/// <summary>What people do in the console, in headless Chromium against the real app on 127.0.0.1 with a fresh database.</summary>
public sealed class ConsoleBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>Certified, and its intent's policy is suggest: it lands in the Suggest queue with a draft.</summary>
    private const string SuggestedText = "Why was I charged a fee when I paid with my card?";

    /// <summary>Certified, and its intent's policy is auto.</summary>
    private const string AutoText = "How do I activate my new card?";

    [Fact]
    public async Task AgentEditsAndApprovesASuggestedDraftAndItLeavesTheQueue()
    {
        using var app = new AppFactory();
        var ticket = await IngestAsync(app, "e2e-approve", SuggestedText);
        Assert.Equal("Suggest", Band(ticket));
        var id = ticket.GetProperty("id").GetString()!;

        var page = await ConsolePage.SignInAsync(browser.Browser, app, "agent", "/queues/suggest");
        await page.Locator($"a[href='/tickets/{id}']").WaitForAsync();
        await ConsolePage.ScreenshotAsync(page, "queue-suggest");
        await page.ClickAsync($"a[href='/tickets/{id}']");
        await ConsolePage.WaitForCircuitAsync(page);
        var editor = page.Locator("[data-testid=draft-editor]");
        var draft = await editor.InputValueAsync();
        Assert.Contains("Source:", draft);
        await editor.FillAsync(draft.Replace("Hi ", "Hello again ", StringComparison.Ordinal) + "\nP.S. Edited in the browser test.");
        await page.Locator("[data-testid=draft-diff]").WaitForAsync();
        await ConsolePage.ScreenshotAsync(page, "ticket-editing");
        await page.ClickAsync("[data-testid=send-button]");

        try
        {
            await page.WaitForURLAsync("**/queues/suggest");
        }
        catch (TimeoutException)
        {
            // A refused send stays on the ticket and says why in a snackbar: keep what the agent saw for the failure.
            await ConsolePage.ScreenshotAsync(page, "ticket-send-did-not-leave");
            var messages = await page.Locator(".mud-snackbar").AllInnerTextsAsync();
            await using var check = app.Database();
            var row = await check.Tickets.AsNoTracking().SingleAsync(t => t.Id == Guid.Parse(id));
            Assert.Fail($"the send did not go back to the queue; snackbars: [{string.Join(" | ", messages)}]; ticket {row.Status} version {row.Version}; page at {page.Url}");
        }

        await page.Locator($"a[href='/tickets/{id}']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        await using var db = app.Database();
        var stored = await db.Tickets.Include(t => t.Draft).SingleAsync(t => t.Id == Guid.Parse(id));
        Assert.Equal(TicketStatus.Answered, stored.Status);
        Assert.Contains("P.S. Edited in the browser test.", stored.Draft!.SentText);
        Assert.NotNull(stored.Draft.EditedText);
        Assert.DoesNotContain("P.S. Edited in the browser test.", stored.Draft.OriginalText);
        Assert.True(await db.OutboxMessages.AnyAsync(m => m.TicketId == stored.Id));
    }

    [Fact]
    public async Task AdminFlipsTheKillSwitchAndTheNextTicketLandsInSuggest()
    {
        using var app = new AppFactory();
        Assert.Equal("Auto", Band(await IngestAsync(app, "e2e-before-kill", AutoText)));

        var page = await ConsolePage.SignInAsync(browser.Browser, app, "admin", "/admin/kill-switch");
        await page.ClickAsync("[data-testid=kill-switch-toggle]");
        await page.FillAsync("[data-testid=kill-switch-reason]", "Browser test: pausing auto-resolve");
        await page.ClickAsync("[data-testid=kill-switch-confirm-button]");
        await page.Locator("[data-testid=kill-switch-banner]").WaitForAsync();
        await ConsolePage.ScreenshotAsync(page, "kill-switch-engaged");

        var after = await IngestAsync(app, "e2e-after-kill", AutoText);
        Assert.Equal("Suggest", Band(after));
        Assert.Contains(after.GetProperty("decision").GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "kill-switch");
    }

    [Fact]
    public async Task ManagerRaisesAThresholdAndTheNextTicketFollowsIt()
    {
        using var app = new AppFactory();
        Assert.Equal("Auto", Band(await IngestAsync(app, "e2e-before-threshold", AutoText)));

        var page = await ConsolePage.SignInAsync(browser.Browser, app, "manager", "/bands");
        var slider = page.Locator("[data-testid=auto-threshold-activate_my_card]").Locator("input").Or(page.Locator("input[data-testid=auto-threshold-activate_my_card]")).First;
        await slider.FocusAsync();
        await page.Keyboard.PressAsync("End");
        await page.Locator("[data-testid=auto-threshold-value-activate_my_card]").Filter(new LocatorFilterOptions { HasText = "1.00" }).WaitForAsync();
        await ConsolePage.ScreenshotAsync(page, "bands");
        await page.ClickAsync("[data-testid=save-bands]");
        await page.Locator(".mud-snackbar").Filter(new LocatorFilterOptions { HasText = "Saved" }).WaitForAsync();

        var after = await IngestAsync(app, "e2e-after-threshold", AutoText);
        Assert.Equal("Suggest", Band(after));
        Assert.Contains(after.GetProperty("decision").GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "below-auto-threshold");
    }

    [Fact]
    public async Task ASecondBrowserSeesANewTicketAppearWithoutReloading()
    {
        using var app = new AppFactory();
        var first = await ConsolePage.SignInAsync(browser.Browser, app, "agent", "/queues/suggest");
        var second = await ConsolePage.SignInAsync(browser.Browser, app, "manager", "/queues/suggest");
        var navigations = 0;
        second.FrameNavigated += (_, _) => navigations++;

        var ticket = await IngestAsync(app, "e2e-live", SuggestedText);
        var id = ticket.GetProperty("id").GetString();

        await second.Locator($"a[href='/tickets/{id}']").WaitForAsync();
        await first.Locator($"a[href='/tickets/{id}']").WaitForAsync();
        Assert.Equal(0, navigations);
    }

    [Fact]
    public async Task MainPagesRenderForAReviewer()
    {
        using var app = new AppFactory();
        var ticket = await IngestAsync(app, "e2e-pages", SuggestedText);
        await IngestAsync(app, "e2e-pages-auto", AutoText);
        var page = await ConsolePage.SignInAsync(browser.Browser, app, "admin");
        foreach (var (path, name, marker) in new[]
        {
            ("/", "overview", "Overview"),
            ($"/tickets/{ticket.GetProperty("id").GetString()}", "ticket", "Decision"),
            ("/queues/auto", "queue-auto", "Auto-resolved"),
            ("/knowledge", "knowledge", "Knowledge base"),
            ("/knowledge/card-delivery", "knowledge-edit", "Save new version"),
            ("/audit", "audit-log", "Audit log"),
            ("/admin/api-keys", "api-keys", "Create a key"),
            ("/admin/users", "users", "Add a user"),
        })
        {
            await ConsolePage.GoAsync(page, path);
            await page.GetByText(marker).First.WaitForAsync();
            await ConsolePage.ScreenshotAsync(page, name);
        }

        await page.SetViewportSizeAsync(1024, 700);
        await ConsolePage.GoAsync(page, "/queues/suggest");
        await ConsolePage.ScreenshotAsync(page, "queue-laptop");

        // Every page above ran its circuit, MudBlazor and its scripts under the Content-Security-Policy.
        Assert.Empty(ConsolePage.CspViolations(page));
    }

    [Fact]
    public async Task TheKnowledgePreviewShowsAJavascriptLinkAsTextOnly()
    {
        using var app = new AppFactory();
        var page = await ConsolePage.SignInAsync(browser.Browser, app, "manager", "/knowledge/card-delivery");
        var editor = page.Locator("textarea").First;
        await editor.FillAsync("# Card delivery\nIntents: card_arrival\n\n## Links\n[click me](javascript:alert(document.cookie)) and [help](https://help.example/cards)");
        await page.Locator("[data-testid=knowledge-preview] a[href='https://help.example/cards']").WaitForAsync();

        Assert.Equal(0, await page.Locator("[data-testid=knowledge-preview] a[href^='javascript']").CountAsync());
        Assert.Contains("click me", await page.Locator("[data-testid=knowledge-preview]").InnerTextAsync());
        Assert.Empty(ConsolePage.CspViolations(page));
    }

    [Fact]
    public async Task ARoleChangeAsksFirstAndTheLastAdminCannotStepDown()
    {
        using var app = new AppFactory();
        var page = await ConsolePage.SignInAsync(browser.Browser, app, "admin", "/admin/users");
        var agentRole = page.Locator("[data-testid='user-role-agent@demo.example']");
        await agentRole.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasText = "Manager" }).ClickAsync();
        await page.GetByText("Make agent@demo.example Manager instead of Agent?").WaitForAsync();
        await ConsolePage.ScreenshotAsync(page, "users-confirm-role");
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Cancel" }).ClickAsync();
        await page.GetByText("Make agent@demo.example Manager").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });

        await page.Locator("[data-testid='user-deactivate-admin@demo.example']").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Deactivate" }).ClickAsync();
        await page.Locator(".mud-snackbar").Filter(new LocatorFilterOptions { HasText = "last active admin" }).WaitForAsync();

        await using var db = app.Database();
        Assert.False(await db.AuditEvents.AnyAsync(e => e.EntityType == "user"));
        Assert.Empty(ConsolePage.CspViolations(page));
    }

    private static async Task<JsonElement> IngestAsync(AppFactory app, string externalId, string body)
    {
        using var response = await app.Client().PostAsJsonAsync("/api/v1/tickets", new { externalId, customerId = "C0007", channel = "email", body });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string? Band(JsonElement ticket) => ticket.GetProperty("decision").GetProperty("band").GetString();
}
