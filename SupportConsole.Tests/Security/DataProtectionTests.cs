using System.Net;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Operations;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Security;

/// <summary>
/// Hole 11: data-protection keys live in the app's database, so a sign-in cookie (and an antiforgery token) issued by one
/// instance is accepted by another that runs as a different user, from another home folder. On PostgreSQL the same for
/// two instances at once: <see cref="Cluster.TwoInstanceTests"/>.
/// </summary>
public sealed class DataProtectionTests
{
    [Fact]
    public async Task TheKeysAreInTheDatabase()
    {
        using var app = new AppFactory();
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login")).StatusCode);

        await using var db = app.Database();
        Assert.True(await db.DataProtectionKeys.AnyAsync());
    }

    [Fact]
    public async Task ACookieFromOneInstanceIsAcceptedByTheNextOnTheSameDatabaseWithAnotherHome()
    {
        using var state = new TemporaryDirectory();
        var environment = (string home) => new Dictionary<string, string>
        {
            ["SUPPORTCONSOLE_DATA_DIR"] = Path.Combine(state.Path, "data"),
            ["HOME"] = Path.Combine(state.Path, home),
            ["Jobs__EvaluateOnStartIfMissed"] = "false",
        };

        FormClient signedIn;
        await using (var first = await AppInstanceProcess.StartAsync("A", environment("home-a"), TimeSpan.FromSeconds(180), CancellationToken.None))
        {
            signedIn = new FormClient(first.BaseUrl);
            using var response = await signedIn.SignInAsync("manager@demo.example", "Manager-demo-1");
            Assert.Equal("/", response.Headers.Location?.OriginalString);
        }

        await using var second = await AppInstanceProcess.StartAsync("B", environment("home-b"), TimeSpan.FromSeconds(180), CancellationToken.None);
        using var moved = new FormClient(second.BaseUrl);
        foreach (Cookie cookie in signedIn.Cookies.GetAllCookies())
        {
            moved.Cookies.Add(second.BaseUrl, new Cookie(cookie.Name, cookie.Value, cookie.Path));
        }

        using var page = await moved.Client.GetAsync("/bands");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(state.Path, "home-b", ".aspnet", "DataProtection-Keys")) &&
            Directory.EnumerateFiles(Path.Combine(state.Path, "home-b", ".aspnet", "DataProtection-Keys")).Any(), "keys were written to the home folder");
        signedIn.Dispose();
    }
}
