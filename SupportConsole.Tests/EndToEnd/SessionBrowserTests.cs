using SupportConsole.Administration;
using SupportConsole.Identity;
using SupportConsole.Tests.Security;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.EndToEnd;

/// <summary>Hole 1 in an open circuit: a page already open in Chromium loses access once the account changes (within the check interval).</summary>
public sealed class SessionBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AnOpenManagerPageLosesAccessWhenTheManagerIsDemoted()
    {
        using var app = new AppFactory(new Dictionary<string, string?> { ["AccountSecurity:SessionCheckSeconds"] = "2" });
        var page = await ConsolePage.SignInAsync(browser.Browser, app, "manager", "/bands");
        await page.Locator("[data-testid=save-bands]").WaitForAsync();
        var navigations = 0;
        page.FrameNavigated += (_, _) => navigations++;

        var outcome = await app.Services.GetRequiredService<AccessAdmin>()
            .SetRoleAsync(await SecurityHost.UserIdAsync(app, "manager@demo.example"), Roles.Agent, SecurityHost.Admin);
        Assert.True(outcome.Succeeded, outcome.Message);

        // The circuit is signed out: the page sends the person to sign in, and the old cookie does not bring them back.
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal), new() { Timeout = 20_000 });
        Assert.True(navigations > 0);
        Assert.Empty(ConsolePage.CspViolations(page));
    }
}
