using Microsoft.EntityFrameworkCore;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Security;

/// <summary>Hole 3, on the server: <c>users add-admin</c> restores an admin; bad input gives one readable line and a non-zero exit.</summary>
public sealed class AddAdminCommandTests
{
    [Fact]
    public async Task AnInstallationWithoutAnAdminGetsOneBackFromTheCommandLine()
    {
        using var state = new TemporaryDirectory();
        var settings = new Dictionary<string, string?> { ["Database:DataDirectory"] = state.Path };
        using (var app = new AppFactory(settings))
        {
            // As an older version let it happen: the only admin demoted, nobody can reach the kill switch.
            await using var db = app.Database();
            var adminRole = await db.Roles.Where(r => r.Name == Identity.Roles.Admin).Select(r => r.Id).SingleAsync();
            Assert.Equal(1, await db.UserRoles.Where(r => r.RoleId == adminRole).ExecuteDeleteAsync());
        }

        var (code, output, error) = await CommandLine.Run("users", "add-admin", "--email", "admin@demo.example", "--data-dir", state.Path);
        Assert.True(code == 0, error);
        Assert.Contains("admin@demo.example is an active admin", output);
        var (created, createdOutput, createdError) = await CommandLine.Run("users", "add-admin", "--email", "new-admin@test.example",
            "--password", "New-admin-pass-1", "--data-dir", state.Path);
        Assert.True(created == 0, createdError);
        Assert.Contains("new-admin@test.example", createdOutput);

        using (var app = new AppFactory(settings))
        {
            using var admin = await SignedInClient.CreateAsync(app, "admin");
            Assert.Equal(System.Net.HttpStatusCode.OK, (await admin.GetAsync("/admin/kill-switch")).StatusCode);
            using var browser = SignedInClient.Browser(app);
            using var signedIn = await browser.SignInAsync("new-admin@test.example", "New-admin-pass-1");
            Assert.Equal("/", signedIn.Headers.Location?.OriginalString);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await browser.Client.GetAsync("/admin/users")).StatusCode);
            await using var db = app.Database();
            Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Actor.StartsWith("cli:")));
        }
    }

    [Theory]
    [InlineData("not-an-email", "Long-enough-1")]
    [InlineData("short@test.example", "short")]
    [InlineData("no-password@test.example", null)]
    public async Task BadInputIsOneLineAndANonZeroExit(string email, string? password)
    {
        using var state = new TemporaryDirectory();
        string[] args = password is null
            ? ["users", "add-admin", "--email", email, "--data-dir", state.Path]
            : ["users", "add-admin", "--email", email, "--password", password, "--data-dir", state.Path];

        var (code, output, error) = await CommandLine.Run(args);

        Assert.NotEqual(0, code);
        Assert.Empty(output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("error: ", line);
    }

    [Fact]
    public async Task AMissingEmailIsAUsageError()
    {
        var (code, _, error) = await CommandLine.Run("users", "add-admin");

        Assert.Equal(2, code);
        Assert.StartsWith("error: ", error);
    }
}
