using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Playwright;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.EndToEnd;

/// <summary>A manager reads the cost dashboards in headless Chromium: changes the range, drills down, exports CSV.</summary>
public sealed class CostDashboardBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ManagerOpensCostsAndPerCustomerChangesTheRangeAndExportsCsv()
    {
        using var app = new AppFactory();
        var tickets = new[]
        {
            ("C0001", "email", "How do I activate my new card?"),
            ("C0001", "chat", "Why was I charged a fee when I paid with my card?"),
            ("C0002", "chat", "How do I activate my new card?"),
            ("C0003", "email", "Is your office open on bank holidays, and can I visit it?"),
        };
        for (var i = 0; i < tickets.Length; i++)
        {
            var (customerId, channel, body) = tickets[i];
            using var response = await app.Client().PostAsJsonAsync("/api/v1/tickets", new { externalId = $"e2e-cost-{i}", customerId, channel, body });
            response.EnsureSuccessStatusCode();
        }

        var page = await ConsolePage.SignInAsync(browser.Browser, app, "manager", "/costs");
        var tickets4 = page.Locator("[data-testid=kpi-tickets-value]");
        await tickets4.Filter(new LocatorFilterOptions { HasText = "4" }).WaitForAsync();
        await page.Locator("[data-testid=cost-chart] svg").First.WaitForAsync();
        await ConsolePage.ScreenshotAsync(page, "costs");

        await page.ClickAsync("[data-testid=preset-7]");
        var today = DateTime.UtcNow.Date;
        var from = today.AddDays(-6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.WaitForURLAsync(url => url.Contains($"from={from}", StringComparison.Ordinal));
        await page.Locator("[data-testid=filter-description]").Filter(new LocatorFilterOptions { HasText = today.AddDays(-6).ToString("d MMM yyyy", CultureInfo.InvariantCulture) }).WaitForAsync();
        await tickets4.Filter(new LocatorFilterOptions { HasText = "4" }).WaitForAsync();
        Assert.Contains($"from={from}", await page.GetAttributeAsync("[data-testid=csv-cost-periods]", "href"));
        await ConsolePage.ScreenshotAsync(page, "costs-last-7-days");

        await page.ClickAsync("[data-testid=to-customers]");
        await page.WaitForURLAsync("**/costs/customers?**");
        await page.Locator("[data-testid=customer-link]").Filter(new LocatorFilterOptions { HasText = "C0001" }).WaitForAsync();
        Assert.Contains($"from={from}", page.Url);
        await ConsolePage.ScreenshotAsync(page, "costs-customers");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=csv-customers]"));
        var saved = Path.Combine(RepositoryPaths.Root, "test-output", "downloads", download.SuggestedFilename);
        Directory.CreateDirectory(Path.GetDirectoryName(saved)!);
        await download.SaveAsAsync(saved);
        var lines = await File.ReadAllLinesAsync(saved);
        Assert.StartsWith("customer_id,name,plan,tickets,", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("C0001,", StringComparison.Ordinal));
        Assert.Equal(4, lines.Length);
        Assert.StartsWith($"customers_{from}_", download.SuggestedFilename);

        await page.ClickAsync("[data-testid=edit-budget-C0002]");
        await page.Locator("[data-testid=budget-amount]").Locator("input").Or(page.Locator("input[data-testid=budget-amount]")).First.FillAsync("12.50");
        await page.ClickAsync("[data-testid=budget-save]");
        await page.Locator("[data-testid=budget-confirm-text]").WaitForAsync();
        await ConsolePage.ScreenshotAsync(page, "costs-budget-confirm");
        await page.ClickAsync("[data-testid=budget-confirm]");
        await page.Locator(".mud-snackbar").Filter(new LocatorFilterOptions { HasText = "Budget for C0002 saved" }).WaitForAsync();

        await page.Locator("[data-testid=customer-link]").Filter(new LocatorFilterOptions { HasText = "C0001" }).ClickAsync();
        await page.Locator("[data-testid=customer-tickets]").Filter(new LocatorFilterOptions { HasText = "email" }).WaitForAsync();
        await ConsolePage.ScreenshotAsync(page, "costs-customer");

        await ConsolePage.GoAsync(page, $"/deflection?from={from}&to={today:yyyy-MM-dd}");
        await page.Locator("[data-testid=kpi-auto-value]").WaitForAsync();
        await ConsolePage.ScreenshotAsync(page, "deflection");
        Assert.Empty(ConsolePage.CspViolations(page));
    }
}
