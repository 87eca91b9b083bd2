using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.EndToEnd;

/// <summary>The background jobs as an admin and a manager meet them in headless Chromium.</summary>
public sealed class JobsBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AnAdminOpensTheJobsDashboardAndRunsAnEvaluationThatAppearsOnTheEvaluationsPage()
    {
        using var app = new AppFactory();

        var manager = await ConsolePage.SignInAsync(browser.Browser, app, "manager");
        var refused = await manager.GotoAsync("/jobs");
        Assert.Equal(403, refused!.Status);

        var admin = await ConsolePage.SignInAsync(browser.Browser, app, "admin");
        var dashboard = await admin.GotoAsync("/jobs");
        Assert.Equal(200, dashboard!.Status);
        await admin.GetByText("Recurring Jobs").First.WaitForAsync();
        await ConsolePage.ScreenshotAsync(admin, "jobs-dashboard");

        await ConsolePage.GoAsync(admin, "/evaluations");
        await admin.GetByText("No evaluation runs yet").WaitForAsync();
        await admin.ClickAsync("[data-testid=run-evaluation]");
        await admin.Locator("[data-testid=evaluation-run-row]").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
        await admin.Locator("[data-testid=evaluation-chart]").WaitForAsync();
        await admin.Locator("[data-testid=job-state-golden-evaluation]").Filter(new LocatorFilterOptions { HasText = "Succeeded" }).WaitForAsync();
        await ConsolePage.ScreenshotAsync(admin, "evaluations");

        await using var db = app.Database();
        var run = await db.EvaluationRuns.AsNoTracking().SingleAsync();
        Assert.Equal("admin@demo.example", run.Trigger);

        await ConsolePage.GoAsync(admin, "/admin/jobs");
        await admin.Locator("[data-testid=job-runs]").GetByText("Golden-set evaluation").First.WaitForAsync();
        await ConsolePage.ScreenshotAsync(admin, "background-jobs");
        await ConsolePage.GoAsync(admin, "/admin/models");
        await admin.Locator("[data-testid=router-models]").GetByText("Active").First.WaitForAsync();
        await ConsolePage.ScreenshotAsync(admin, "router-models");

        // The Hangfire dashboard, the charts and the console's pages all ran under the Content-Security-Policy.
        Assert.Empty(ConsolePage.CspViolations(admin));
    }
}
