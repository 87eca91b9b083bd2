using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Administration;
using SupportConsole.Identity;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Administration;

/// <summary>Users as admins manage them: last sign-in, password resets; through the real sign-in form.</summary>
public sealed class AccessAdminTests
{
    [Fact]
    public async Task ASignInIsRecordedAsTheUsersLastSignIn()
    {
        using var app = new AppFactory();
        var before = await UserAsync(app, "agent@demo.example");
        Assert.Null(before.LastSignInAt);

        using var client = await SignedInClient.CreateAsync(app, "agent");

        var rows = await app.Services.GetRequiredService<AccessAdmin>().UsersAsync(Admin);
        Assert.NotNull(Assert.Single(rows, r => r.Email == "agent@demo.example").LastSignInAt);
        Assert.Null(Assert.Single(rows, r => r.Email == "manager@demo.example").LastSignInAt);
    }

    [Fact]
    public async Task AResetPasswordWorksOnceGivenAndTheOldOneStopsWorking()
    {
        using var app = new AppFactory();
        var user = await UserAsync(app, "agent@demo.example");

        var (outcome, password) = await app.Services.GetRequiredService<AccessAdmin>().ResetPasswordAsync(user.Id, Admin);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(TemporaryPassword.Length, password!.Length);
        var (oldClient, oldWorks, location) = await SignedInClient.TryAsync(app, "agent@demo.example", SignedInClient.DemoAccounts["agent"].Password);
        var (newClient, newWorks, _) = await SignedInClient.TryAsync(app, "agent@demo.example", password);
        oldClient.Dispose();
        newClient.Dispose();
        Assert.False(oldWorks);
        Assert.Contains("error=invalid", location);
        Assert.True(newWorks);
        await using var db = app.Database();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == "user.password-reset" && e.EntityId == "agent@demo.example"));
    }

    [Fact]
    public async Task OnlyAnAdminMayResetAPasswordAndARefusalChangesNothing()
    {
        using var app = new AppFactory();
        var user = await UserAsync(app, "agent@demo.example");
        var manager = ConsoleActor.From(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "manager@demo.example"), new Claim(ClaimTypes.Role, Roles.Manager)], "test")));

        await Assert.ThrowsAsync<ConsoleAccessDeniedException>(() => app.Services.GetRequiredService<AccessAdmin>().ResetPasswordAsync(user.Id, manager));

        var (client, works, _) = await SignedInClient.TryAsync(app, "agent@demo.example", SignedInClient.DemoAccounts["agent"].Password);
        client.Dispose();
        Assert.True(works);
    }

    [Fact]
    public void TemporaryPasswordsMeetThePasswordRules()
    {
        for (var i = 0; i < 200; i++)
        {
            var password = TemporaryPassword.Create();
            Assert.Equal(TemporaryPassword.Length, password.Length);
            Assert.Contains(password, char.IsAsciiLetterLower);
            Assert.Contains(password, char.IsAsciiLetterUpper);
            Assert.Contains(password, char.IsAsciiDigit);
        }
    }

    private static ConsoleActor Admin => ConsoleActor.System("admin@demo.example");

    private static async Task<SupportConsole.Data.Entities.AppUser> UserAsync(AppFactory app, string email)
    {
        await using var db = app.Database();
        return await db.Users.AsNoTracking().SingleAsync(u => u.Email == email);
    }
}
