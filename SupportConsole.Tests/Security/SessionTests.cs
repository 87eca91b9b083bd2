using System.Net;
using Microsoft.AspNetCore.Identity;
using SupportConsole.Administration;
using SupportConsole.Data.Entities;
using SupportConsole.Identity;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Security;

/// <summary>
/// Hole 1: a session ends when the account changes. Every cookie is checked against the account's security stamp once per
/// check interval (one minute by default, a second here), and a role change, a password change, a deactivation or a
/// sign-out renews the stamp. (Open circuits: <see cref="EndToEnd.SessionBrowserTests"/>.)
/// </summary>
public sealed class SessionTests(SessionTests.Host host) : IClassFixture<SessionTests.Host>
{
    private const string Password = "Session-user-1";

    private AppFactory App => host.App;

    [Fact]
    public void SessionsAreCheckedAtLeastOnceAMinuteByDefault()
    {
        Assert.True(new AccountSecurityOptions().SessionCheckInterval <= TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task ADemotedManagerLosesManagerPagesAndTheReportsApiWithTheOldCookie()
    {
        var (id, manager) = await SignedInAsync("demoted-manager@test.example", Roles.Manager);
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("/bands")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("/api/v1/costs/summary")).StatusCode);

        var demoted = await App.Services.GetRequiredService<AccessAdmin>().SetRoleAsync(id, Roles.Agent, SecurityHost.Admin);
        Assert.True(demoted.Succeeded, demoted.Message);
        await Task.Delay(SecurityHost.PastOneCheck);

        Assert.False(SecurityHost.Allowed(await manager.GetAsync("/bands")));
        Assert.False(SecurityHost.Allowed(await manager.GetAsync("/api/v1/costs/summary")));
    }

    [Fact]
    public async Task ACookieKeptFromBeforeSignOutNoLongerWorks()
    {
        await SecurityHost.CreateUserAsync(App, "signs-out@test.example", Roles.Agent, Password);
        using var browser = SignedInClient.Browser(App);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("signs-out@test.example", Password)).StatusCode);
        using var kept = browser.CopyOfCookies();
        Assert.Equal(HttpStatusCode.OK, (await kept.Client.GetAsync("/queues/suggest")).StatusCode);

        using var signedOut = await browser.SignOutAsync();
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        await Task.Delay(SecurityHost.PastOneCheck);

        using var after = await kept.Client.GetAsync("/queues/suggest");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/account/login", after.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task APasswordChangeEndsOtherSessions()
    {
        var (_, agent) = await SignedInAsync("changes-password@test.example", Roles.Agent);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = (await users.FindByEmailAsync("changes-password@test.example"))!;
            Assert.True((await users.ChangePasswordAsync(user, Password, "Session-user-2-new")).Succeeded);
        }

        await Task.Delay(SecurityHost.PastOneCheck);

        Assert.False(SecurityHost.Allowed(await agent.GetAsync("/queues/suggest")));
    }

    [Fact]
    public async Task ADeactivatedUserLosesTheSessionAndCannotSignIn()
    {
        var (id, agent) = await SignedInAsync("deactivated@test.example", Roles.Agent);

        var outcome = await App.Services.GetRequiredService<AccessAdmin>().DeactivateAsync(id, SecurityHost.Admin);
        Assert.True(outcome.Succeeded, outcome.Message);
        await Task.Delay(SecurityHost.PastOneCheck);

        Assert.False(SecurityHost.Allowed(await agent.GetAsync("/queues/suggest")));
        using var again = SignedInClient.Browser(App);
        using var refused = await again.SignInAsync("deactivated@test.example", Password);
        Assert.Contains("error=invalid", refused.Headers.Location!.OriginalString);

        Assert.True((await App.Services.GetRequiredService<AccessAdmin>().ReactivateAsync(id, SecurityHost.Admin)).Succeeded);
        using var back = await again.SignInAsync("deactivated@test.example", Password);
        Assert.Equal("/", back.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task AnUnchangedAccountKeepsItsSession()
    {
        var (_, manager) = await SignedInAsync("unchanged@test.example", Roles.Manager);
        await Task.Delay(SecurityHost.PastOneCheck);

        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("/bands")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("/bands")).StatusCode);
    }

    /// <summary>A new account of the role, signed in.</summary>
    private async Task<(string Id, HttpClient Client)> SignedInAsync(string email, string role)
    {
        var id = await SecurityHost.CreateUserAsync(App, email, role, Password);
        var browser = SignedInClient.Browser(App);
        using var response = await browser.SignInAsync(email, Password);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        return (id, browser.Client);
    }

    public sealed class Host : IDisposable
    {
        public AppFactory App { get; } = new(SecurityHost.QuickSessionChecks);

        public void Dispose() => App.Dispose();
    }
}
