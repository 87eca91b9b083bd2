using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Identity;
using SupportConsole.Data.Entities;
using SupportConsole.Identity;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Security;

/// <summary>
/// Hole 4: nobody locks another person's account from one address, every failed sign-in answers the same and costs about
/// the same whether the account exists, is locked or deactivated, and lockouts are logged with the account.
/// </summary>
public sealed class SignInAbuseTests(SignInAbuseTests.Host host) : IClassFixture<SignInAbuseTests.Host>
{
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task ThirtyWrongPasswordsFromOneAddressDoNotLockTheAdminOut()
    {
        using var attacker = SignedInClient.Browser(host.App, Attacker);
        var answers = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            using var response = await attacker.SignInAsync("admin@demo.example", $"wrong-password-{i}");
            answers.Add(response.Headers.Location!.OriginalString);
        }

        Assert.Contains(answers, a => a.Contains("error=throttled"));
        using var admin = SignedInClient.Browser(host.App);
        using var signedIn = await admin.SignInAsync("admin@demo.example", "Admin-demo-1");
        Assert.Equal("/", signedIn.Headers.Location?.OriginalString);
        await using var scope = host.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.False(await users.IsLockedOutAsync((await users.FindByEmailAsync("admin@demo.example"))!));
    }

    [Fact]
    public async Task UnknownWrongLockedAndDeactivatedAccountsGetTheSameAnswer()
    {
        await SecurityHost.CreateUserAsync(host.App, "locked@test.example", Roles.Agent, "Locked-user-1");
        var deactivated = await SecurityHost.CreateUserAsync(host.App, "inactive@test.example", Roles.Agent, "Inactive-user-1");
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByEmailAsync("locked@test.example"))!, DateTimeOffset.UtcNow.AddHours(1));
        }

        Assert.True((await host.App.Services.GetRequiredService<Administration.AccessAdmin>().DeactivateAsync(deactivated, SecurityHost.Admin)).Succeeded);
        var answers = new List<(string What, HttpStatusCode Status, string Location, bool Cookie)>();
        foreach (var (what, email, password) in new[]
        {
            ("unknown", "nobody@test.example", "Whatever-pass-1"),
            ("wrong password", "manager@demo.example", "Wrong-pass-1"),
            ("locked, right password", "locked@test.example", "Locked-user-1"),
            ("deactivated, right password", "inactive@test.example", "Inactive-user-1"),
        })
        {
            using var browser = SignedInClient.Browser(host.App);
            using var response = await browser.SignInAsync(email, password, "/queues/suggest");
            answers.Add((what, response.StatusCode, response.Headers.Location!.OriginalString,
                browser.Cookies.GetAllCookies().Any(c => c.Name == "supportconsole")));
        }

        Assert.All(answers, a => Assert.False(a.Cookie, a.What));
        Assert.Single(answers.Select(a => (a.Status, a.Location)).Distinct());
        Assert.Contains("error=invalid", answers[0].Location);
    }

    [Fact]
    public async Task AnUnknownAccountTakesAboutAsLongAsARealOne()
    {
        // Interleaved, from their own addresses (the attempt limit is per address and account), medians of eight each.
        var unknown = new List<double>();
        var real = new List<double>();
        for (var i = 0; i < 8; i++)
        {
            unknown.Add(await TimeAsync(IPAddress.Parse($"127.0.1.{i + 1}"), $"nobody-{i}@test.example"));
            real.Add(await TimeAsync(IPAddress.Parse($"127.0.2.{i + 1}"), "agent@demo.example"));
        }

        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            await users.ResetAccessFailedCountAsync((await users.FindByEmailAsync("agent@demo.example"))!);
        }

        // Without a hash for unknown accounts the ratio is about 0.03 (3 ms against 94 ms); with one it is about 1.
        var ratio = Median(unknown) / Median(real);
        Assert.True(ratio > 0.5, $"unknown {Median(unknown):0.0} ms, real {Median(real):0.0} ms");
    }

    [Fact]
    public async Task ALockoutIsLoggedAsAWarningWithTheAccount()
    {
        await SecurityHost.CreateUserAsync(host.App, "gets-locked@test.example", Roles.Agent, "Gets-locked-1");
        for (var i = 0; i < 10; i++)
        {
            // Five addresses, two failures each (under the per-address limit): ten failures lock the account.
            using var client = SignedInClient.Browser(host.App, IPAddress.Parse($"127.0.3.{(i / 2) + 1}"));
            using var response = await client.SignInAsync("gets-locked@test.example", $"wrong-{i}");
        }

        var warnings = host.Logs.At(LogLevel.Warning).Where(l => l.Message.Contains("gets-locked@test.example")).ToList();
        Assert.Contains(warnings, w => w.Message.Contains("locked for") && w.Category == typeof(ConsoleSignIn).FullName);
        Assert.Contains(warnings, w => w.Message.Contains("Failed sign-in") && w.Message.Contains("127.0.3."));
    }

    private async Task<double> TimeAsync(IPAddress from, string email)
    {
        using var browser = SignedInClient.Browser(host.App, from);
        var token = await browser.TokenAsync("/account/login");
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["password"] = "Not-the-password-1", ["returnUrl"] = "/", ["__RequestVerificationToken"] = token,
        });
        var clock = Stopwatch.StartNew();
        using var response = await browser.Client.PostAsync("/account/login", form);
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    public sealed class Host : IDisposable
    {
        public CapturedLogs Logs { get; } = new();

        public AppFactory App { get; }

        public Host() => App = new AppFactory(new Dictionary<string, string?> { ["Logging:LogLevel:SupportConsole"] = "Information" }, logs: Logs);

        public void Dispose() => App.Dispose();
    }
}
