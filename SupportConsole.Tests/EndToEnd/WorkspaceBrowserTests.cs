using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.EndToEnd;

/// <summary>
/// The agent workspace as agents use it, in headless Chromium against one real app (one database) for the class; each
/// test works on its own customers, so the tests do not see each other's tickets.
/// </summary>
public sealed class WorkspaceBrowserTests(BrowserFixture browser, WorkspaceBrowserTests.Host host)
    : IClassFixture<BrowserFixture>, IClassFixture<WorkspaceBrowserTests.Host>
{
    /// <summary>Certified, and its intent's policy is suggest: it lands in the Suggest queue with a draft.</summary>
    private const string SuggestedText = "Why was I charged a fee when I paid with my card?";

    private static readonly LocatorWaitForOptions Gone = new() { State = WaitForSelectorState.Detached };

    [Fact]
    public async Task AFollowUpAppearsInTheOpenThreadRoutedAgainAndANoteIsNeverSent()
    {
        var ticket = await host.IngestAsync("ws-thread", "C0031", SuggestedText);
        var id = ticket.GetProperty("id").GetString()!;
        var page = await ConsolePage.SignInAsync(browser.Browser, host.App, "agent", $"/tickets/{id}?queue=suggest");
        Assert.StartsWith("Why was I charged a fee", await page.TitleAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("[data-testid=thread-customer]").CountAsync());

        await page.FillAsync("[data-testid=note-editor]", "Checked the card terms: the fee applies abroad only.");
        await page.ClickAsync("[data-testid=add-note]");
        await page.Locator("[data-testid=thread-note]").Filter(new LocatorFilterOptions { HasText = "the fee applies abroad only" }).WaitForAsync();
        Assert.Empty(await page.InputValueAsync("[data-testid=note-editor]"));
        StringAssert(await page.Locator("[data-testid=thread-note]").InnerTextAsync(), "never sent");

        // The customer writes again while the agent has the ticket open: the thread grows and the ticket is routed again.
        await host.IngestAsync("ws-thread-b", "C0031", "I am still waiting for an answer about that fee.", inReplyTo: "ws-thread");
        await page.Locator("[data-testid=thread-customer]").Nth(1).WaitForAsync();
        Assert.Contains("(earlier decision)", await page.Locator("[data-testid=thread-customer]").Nth(0).InnerTextAsync());
        await page.Locator("[data-testid=history-entry]").Filter(new LocatorFilterOptions { HasText = "Follow-up routed" }).WaitForAsync();
        Assert.Equal("Open", (await page.InnerTextAsync("[data-testid=ticket-status]")).Trim());
        await ConsolePage.DocumentationScreenshotAsync(page, "workflows", "ticket-conversation");

        await using var db = host.App.Database();
        var ticketId = Guid.Parse(id);
        Assert.Single(await db.TicketNotes.Where(n => n.TicketId == ticketId).ToListAsync());
        Assert.DoesNotContain(await db.OutboxMessages.Select(m => m.PayloadJson).ToListAsync(), payload => payload.Contains("fee applies abroad only", StringComparison.Ordinal));
        Assert.Equal(2, await db.TicketMessages.CountAsync(m => m.TicketId == ticketId && m.Direction == SupportConsole.Data.Entities.MessageDirection.Inbound));
    }

    [Fact]
    public async Task TwoAgentsSeeWhoViewsAndWhoTookATicket()
    {
        var ticket = await host.IngestAsync("ws-presence", "C0032", SuggestedText);
        var id = ticket.GetProperty("id").GetString()!;
        var maja = await ConsolePage.SignInAsync(browser.Browser, host.App, "agent", $"/tickets/{id}?queue=suggest");
        var other = await ConsolePage.SignInAsync(browser.Browser, host.App, "manager", "/queues/suggest?customer=C0032");

        var row = other.Locator($"[data-testid=queue-row][data-ticket='{id}']");
        await row.Locator("[data-testid=row-viewers]").Filter(new LocatorFilterOptions { HasText = "agent@demo.example" }).WaitForAsync();

        await other.ClickAsync($"[data-testid=queue-row][data-ticket='{id}'] [data-testid=ticket-link]");
        await ConsolePage.WaitForCircuitAsync(other);
        await other.Locator("[data-testid=presence]").Filter(new LocatorFilterOptions { HasText = "agent@demo.example is viewing" }).WaitForAsync();
        await maja.Locator("[data-testid=presence]").Filter(new LocatorFilterOptions { HasText = "manager@demo.example is viewing" }).WaitForAsync();

        await maja.ClickAsync("[data-testid=take-ticket]");
        await maja.Locator("[data-testid=assignee]").Filter(new LocatorFilterOptions { HasText = "You work this ticket." }).WaitForAsync();
        await other.Locator("[data-testid=assignee]").Filter(new LocatorFilterOptions { HasText = "agent@demo.example works this ticket." }).WaitForAsync();
        await ConsolePage.DocumentationScreenshotAsync(other, "workflows", "ticket-presence");

        // Leaving the ticket ends the presence; "Mine" lists the ticket for the agent who took it, and not for the other one.
        await ConsolePage.GoAsync(maja, "/queues/suggest?customer=C0032&who=mine");
        await maja.Locator($"[data-testid=queue-row][data-ticket='{id}']").WaitForAsync();
        await other.Locator("[data-testid=presence]").WaitForAsync(Gone);
        await ConsolePage.GoAsync(other, "/queues/suggest?customer=C0032&who=mine");
        await other.Locator("[data-testid=queue-empty]").WaitForAsync();
    }

    [Fact]
    public async Task TheEscalatedQueueSortsOnTimeLeftToTheReplyTargetAndOverdueTicketsStandOut()
    {
        // Received in this order; due in the opposite one (normal 8 h, high 2 h, urgent 30 min).
        var normal = await host.IngestAsync("ws-sla-normal", "C0033", "Please close my account, I am moving abroad.");
        var high = await host.IngestAsync("ws-sla-high", "C0033", "My lawyer will contact you about the charges on my card.");
        var urgent = await host.IngestAsync("ws-sla-urgent", "C0033", "I don't want to live anymore, I think about suicide every day.");
        var late = await host.IngestAsync("ws-sla-late", "C0033", "My solicitor says the account must be closed today.");

        // Time passing for one ticket: its reply target was a few minutes ago.
        await using (var db = host.App.Database())
        {
            var lateId = Guid.Parse(Id(late));
            await db.Tickets.Where(t => t.Id == lateId).ExecuteUpdateAsync(s => s.SetProperty(t => t.ReplyDueAt, DateTimeOffset.UtcNow.AddMinutes(-7)));
        }

        var page = await ConsolePage.SignInAsync(browser.Browser, host.App, "agent", "/queues/escalated?customer=C0033", viewport: ConsolePage.Laptop);
        var rows = page.Locator("[data-testid=queue-row]");
        await rows.Nth(3).WaitForAsync();

        // Work queues are oldest first until someone sorts them.
        Assert.Equal([Id(normal), Id(high), Id(urgent), Id(late)], await TicketOrderAsync(rows));
        await page.Locator("[data-testid=queue-overdue]").Filter(new LocatorFilterOptions { HasText = "1 past the reply target" }).WaitForAsync();

        await page.ClickAsync("[data-testid=sort-timeleft]");
        await page.WaitForURLAsync(url => url.Contains("sort=timeleft", StringComparison.Ordinal));
        await page.ReloadAsync();
        await ConsolePage.WaitForCircuitAsync(page);
        await rows.Nth(3).WaitForAsync();
        Assert.Equal([Id(late), Id(urgent), Id(high), Id(normal)], await TicketOrderAsync(rows));
        Assert.Equal("ascending", await page.GetAttributeAsync("[data-testid=sort-timeleft]", "aria-sort"));
        Assert.Contains("row-overdue", await rows.Nth(0).GetAttributeAsync("class"));
        Assert.Contains("overdue", await rows.Nth(0).Locator("[data-testid=time-left]").InnerTextAsync());
        Assert.Equal("Urgent", await rows.Nth(1).Locator("[data-testid=row-priority]").InnerTextAsync());
        Assert.Equal(0, await ConsolePage.HorizontalOverflowAsync(page));
        await ConsolePage.DocumentationScreenshotAsync(page, "workflows", "queue-escalated-time-left");

        await page.ClickAsync($"[data-testid=queue-row][data-ticket='{Id(urgent)}'] [data-testid=ticket-link]");
        await ConsolePage.WaitForCircuitAsync(page);
        await page.Locator("[data-testid=vulnerable-banner]").WaitForAsync();
        Assert.Equal("Urgent", (await page.InnerTextAsync("[data-testid=ticket-priority]")).Trim());
        Assert.Equal("Send reply", (await page.TextContentAsync("[data-testid=send-button]"))?.Trim());
        Assert.Empty(await page.Locator("[data-testid=draft-editor]").InputValueAsync());
        await ConsolePage.DocumentationScreenshotAsync(page, "workflows", "ticket-vulnerable-customer");
    }

    [Fact]
    public async Task AnAgentWorksTheQueueFromTheKeyboardWithSubmitAndNext()
    {
        var first = await host.IngestAsync("ws-next-1", "C0034", SuggestedText);
        var second = await host.IngestAsync("ws-next-2", "C0034", SuggestedText);
        var third = await host.IngestAsync("ws-next-3", "C0034", SuggestedText);

        // These three waited longest (a day), so they come before the other tests' tickets in the shared queue.
        await using (var waitingDb = host.App.Database())
        {
            foreach (var waiting in await waitingDb.Tickets.Where(t => t.CustomerId == "C0034").ToListAsync())
            {
                waiting.IngestedAt = waiting.IngestedAt.AddDays(-1);
            }

            await waitingDb.SaveChangesAsync();
        }

        var page = await ConsolePage.SignInAsync(browser.Browser, host.App, "agent", $"/tickets/{Id(first)}?queue=suggest");
        await page.Locator("[data-testid=draft-editor]").WaitForAsync();
        await ConsolePage.WaitForShortcutsAsync(page);

        await page.Keyboard.PressAsync("?");
        await page.Locator("[data-testid=shortcuts-dialog]").WaitForAsync();
        Assert.Contains("Approve (send the reply) and open the next ticket", await page.InnerTextAsync("[data-testid=shortcuts-dialog]"));
        await ConsolePage.DocumentationScreenshotAsync(page, "workflows", "ticket-shortcuts");
        await page.Keyboard.PressAsync("Escape");
        await page.Locator("[data-testid=shortcuts-dialog]").WaitForAsync(Gone);

        // An "a" typed in a text field is text, not a shortcut.
        await page.FocusAsync("[data-testid=note-editor]");
        await page.Keyboard.PressAsync("a");
        Assert.Equal("a", await page.InputValueAsync("[data-testid=note-editor]"));
        Assert.Contains($"/tickets/{Id(first)}", page.Url, StringComparison.Ordinal);
        await page.FillAsync("[data-testid=note-editor]", string.Empty);
        await page.EvaluateAsync("() => document.activeElement.blur()");

        // "a" approves the draft and opens the next ticket of the queue (this customer's are the oldest waiting).
        await page.Keyboard.PressAsync("a");
        await page.WaitForURLAsync($"**/tickets/{Id(second)}?queue=suggest");
        await ConsolePage.WaitForCircuitAsync(page);

        // The button does the same.
        await page.Locator("[data-testid=draft-editor]").WaitForAsync();
        await page.ClickAsync("[data-testid=send-next-button]");
        await page.WaitForURLAsync($"**/tickets/{Id(third)}?queue=suggest");
        await ConsolePage.WaitForCircuitAsync(page);

        // "e" escalates without a reply; "n" moves on without acting.
        await page.Locator("[data-testid=draft-editor]").WaitForAsync();
        await page.Keyboard.PressAsync("e");
        await page.Locator("[data-testid=ticket-where]").Filter(new LocatorFilterOptions { HasText = "With a person" }).WaitForAsync();
        Assert.Equal("Open", (await page.InnerTextAsync("[data-testid=ticket-status]")).Trim());

        await using var db = host.App.Database();
        var statuses = await db.Tickets.Where(t => t.CustomerId == "C0034").ToDictionaryAsync(t => t.Id.ToString(), t => t.Status);
        Assert.Equal(SupportConsole.Data.Entities.TicketStatus.Answered, statuses[Id(first)]);
        Assert.Equal(SupportConsole.Data.Entities.TicketStatus.Answered, statuses[Id(second)]);
        Assert.Equal(SupportConsole.Data.Entities.TicketStatus.Escalated, statuses[Id(third)]);
    }

    [Fact]
    public async Task AnAgentEscalatesASelectionOnlyAfterConfirmingAndTheToastCoversNoButton()
    {
        var first = await host.IngestAsync("ws-bulk-1", "C0037", SuggestedText);
        var second = await host.IngestAsync("ws-bulk-2", "C0037", SuggestedText);
        var untouched = await host.IngestAsync("ws-bulk-3", "C0037", SuggestedText);
        var page = await ConsolePage.SignInAsync(browser.Browser, host.App, "agent", "/queues/suggest?customer=C0037");
        await ConsolePage.WaitForCircuitAsync(page);
        await page.Locator("[data-testid=queue-row]").Nth(2).WaitForAsync();

        foreach (var ticket in new[] { first, second })
        {
            await page.Locator($"[data-testid=queue-row][data-ticket='{Id(ticket)}'] input[type=checkbox]").CheckAsync();
        }

        // The count comes back from the server after each tick: wait for it rather than read the bar at once.
        var bar = page.Locator("[data-testid=bulk-bar]");
        await bar.Filter(new LocatorFilterOptions { HasText = "2 selected" }).WaitForAsync();

        // Cancelling the confirmation changes nothing.
        await page.ClickAsync("[data-testid=bulk-escalate]");
        var confirm = page.Locator(".mud-dialog").Filter(new LocatorFilterOptions { HasText = "Escalate 2 ticket(s) to a person?" });
        await confirm.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Cancel" }).ClickAsync();
        await confirm.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        Assert.Equal(3, await StatusCountAsync(SupportConsole.Data.Entities.TicketStatus.AwaitingApproval));

        await page.ClickAsync("[data-testid=bulk-escalate]");
        await confirm.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Escalate" }).ClickAsync();
        var toast = page.Locator(".mud-snackbar").Filter(new LocatorFilterOptions { HasText = "2 ticket(s) changed." });
        await toast.WaitForAsync();
        await page.Locator("[data-testid=queue-row]").Nth(1).WaitForAsync(Gone);

        // The toast sits clear of every button and link a person could want while it shows.
        var box = (await toast.BoundingBoxAsync())!;
        foreach (var control in await page.Locator("main button:visible, main a:visible, header button:visible, header a:visible").AllAsync())
        {
            if (await control.BoundingBoxAsync() is { } other)
            {
                var overlaps = box.X < other.X + other.Width && other.X < box.X + box.Width && box.Y < other.Y + other.Height && other.Y < box.Y + box.Height;
                Assert.False(overlaps, $"the toast covers '{(await control.InnerTextAsync()).Trim()}'");
            }
        }

        await using var db = host.App.Database();
        var statuses = await db.Tickets.Where(t => t.CustomerId == "C0037").ToDictionaryAsync(t => t.Id.ToString(), t => t.Status);
        Assert.Equal(SupportConsole.Data.Entities.TicketStatus.Escalated, statuses[Id(first)]);
        Assert.Equal(SupportConsole.Data.Entities.TicketStatus.Escalated, statuses[Id(second)]);
        Assert.Equal(SupportConsole.Data.Entities.TicketStatus.AwaitingApproval, statuses[Id(untouched)]);
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => (e.EntityId == Id(first) || e.EntityId == Id(second)) && e.Actor == "agent@demo.example" && e.Action.Contains("escalat")));

        async Task<int> StatusCountAsync(SupportConsole.Data.Entities.TicketStatus status)
        {
            await using var check = host.App.Database();
            return await check.Tickets.CountAsync(t => t.CustomerId == "C0037" && t.Status == status);
        }
    }

    [Fact]
    public async Task ATokyoBrowserReadsTimesInTokyoTime()
    {
        var receivedAt = new DateTimeOffset(2026, 12, 1, 3, 30, 0, TimeSpan.Zero);
        var ticket = await host.IngestAsync("ws-tokyo", "C0035", SuggestedText, receivedAt: receivedAt);
        var page = await ConsolePage.SignInAsync(browser.Browser, host.App, "agent", $"/tickets/{Id(ticket)}", timeZone: "Asia/Tokyo");

        // 03:30 UTC is 12:30 in Tokyo (UTC+9, no daylight saving).
        await page.GetByText("1 Dec 2026, 12:30 UTC+9").First.WaitForAsync();
        Assert.Contains("Asia/Tokyo", await page.InnerTextAsync("[data-testid=viewer-zone]"));
        Assert.DoesNotContain("03:30", await page.InnerTextAsync("[data-testid=conversation]"));

        var utc = await ConsolePage.SignInAsync(browser.Browser, host.App, "agent", $"/tickets/{Id(ticket)}", timeZone: "UTC");
        await utc.GetByText("1 Dec 2026, 03:30 UTC").First.WaitForAsync();
    }

    [Fact]
    public async Task OnAPhoneTheTicketPageDoesNotScrollSidewaysAndSignOutStaysReachable()
    {
        var ticket = await host.IngestAsync("ws-phone", "C0036", SuggestedText);
        var page = await ConsolePage.SignInAsync(browser.Browser, host.App, "agent", $"/tickets/{Id(ticket)}?queue=suggest", viewport: ConsolePage.Phone);
        await page.Locator("[data-testid=draft-editor]").WaitForAsync();

        Assert.Equal(0, await ConsolePage.HorizontalOverflowAsync(page));
        Assert.True(await page.Locator("[data-testid=sign-out]").IsVisibleAsync());
        await ConsolePage.DocumentationScreenshotAsync(page, "workflows", "phone-ticket");

        await ConsolePage.GoAsync(page, "/queues/suggest");
        await page.Locator("[data-testid=queue-row]").First.WaitForAsync();
        Assert.Equal(0, await ConsolePage.HorizontalOverflowAsync(page));
        await ConsolePage.DocumentationScreenshotAsync(page, "workflows", "phone-queue");

        await page.ClickAsync("[data-testid=sign-out]");
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BrowsersGetHtmlErrorPagesWithAWayOn()
    {
        var page = await ConsolePage.SignInAsync(browser.Browser, host.App, "agent", "/queues/suggest");

        var missing = await page.GotoAsync("/no-such-page");
        Assert.Equal(404, missing!.Status);
        await page.GetByText("There is nothing at this address").WaitForAsync();

        await ConsolePage.GoAsync(page, "/queues/suggest");
        var forbidden = await page.GotoAsync("/admin/users");
        Assert.Equal(403, forbidden!.Status);
        await page.GetByText("You do not have access to this page").WaitForAsync();
        await page.Locator("[data-history-back]").First.ClickAsync();
        await page.WaitForURLAsync("**/queues/suggest");

        var unknownTicket = await page.GotoAsync($"/tickets/{Guid.CreateVersion7()}");
        await page.GetByText("There is nothing at this address").WaitForAsync();
        Assert.NotNull(unknownTicket);
    }

    private static Task<string[]> TicketOrderAsync(ILocator rows) => rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.ticket)");

    private static string Id(JsonElement ticket) => ticket.GetProperty("id").GetString()!;

    private static void StringAssert(string text, string expected) => Assert.Contains(expected, text, StringComparison.Ordinal);

    /// <summary>One app for the class: starting it costs seconds, and every test keeps to its own customers.</summary>
    public sealed class Host : IDisposable
    {
        public AppFactory App { get; } = new();

        public async Task<JsonElement> IngestAsync(string externalId, string customerId, string body, string? inReplyTo = null, DateTimeOffset? receivedAt = null)
        {
            using var response = await App.Client().PostAsJsonAsync("/api/v1/tickets", new { externalId, customerId, channel = "email", body, inReplyTo, receivedAt });
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        public void Dispose() => App.Dispose();
    }
}
