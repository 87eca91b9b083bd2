using Microsoft.EntityFrameworkCore;
using SupportConsole.Administration;
using SupportConsole.Identity;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Security;

/// <summary>
/// Hole 3: the last active admin can never be demoted, deactivated or deleted (not even by themselves), a role change is
/// audited with the old and the new role, and two admins demoting each other at the same moment cannot both succeed.
/// (The confirmation on the Users page: <see cref="EndToEnd.ConsoleBrowserTests"/>; the command line: <see cref="AddAdminCommandTests"/>.)
/// </summary>
public sealed class LastAdminTests
{
    private const string DemoAdmin = "admin@demo.example";

    [Fact]
    public async Task TheOnlyAdminCannotBeDemotedDeactivatedOrDeleted()
    {
        using var app = new AppFactory();
        var access = app.Services.GetRequiredService<AccessAdmin>();
        var admin = await SecurityHost.UserIdAsync(app, DemoAdmin);
        var self = SecurityHost.Person(DemoAdmin, Roles.Admin);

        foreach (var refused in new[]
        {
            await access.SetRoleAsync(admin, Roles.Agent, self),
            await access.SetRoleAsync(admin, Roles.Manager, self),
            await access.DeactivateAsync(admin, self),
            await access.DeleteUserAsync(admin, self),
        })
        {
            Assert.False(refused.Succeeded);
            Assert.Contains("last active admin", refused.Message);
        }

        var row = (await access.UsersAsync(self)).Single(u => u.Email == DemoAdmin);
        Assert.Equal(Roles.Admin, row.Role);
        Assert.True(row.Active);
        await using var db = app.Database();
        Assert.False(await db.AuditEvents.AnyAsync(e => e.EntityType == "user" && e.EntityId == DemoAdmin));
    }

    [Fact]
    public async Task WithTwoAdminsOneMayStepDownAuditedWithOldAndNewRoleThenTheOtherIsTheLast()
    {
        using var app = new AppFactory();
        var access = app.Services.GetRequiredService<AccessAdmin>();
        var demo = await SecurityHost.UserIdAsync(app, DemoAdmin);
        var second = await SecurityHost.CreateUserAsync(app, "second-admin@test.example", Roles.Admin);

        var stepDown = await access.SetRoleAsync(demo, Roles.Manager, SecurityHost.Person(DemoAdmin, Roles.Admin));
        Assert.True(stepDown.Succeeded, stepDown.Message);
        await using (var db = app.Database())
        {
            var audit = await db.AuditEvents.SingleAsync(e => e.Action == "user.role-changed" && e.EntityId == DemoAdmin);
            Assert.Equal(DemoAdmin, audit.Actor);
            Assert.Contains("\"from\":\"Admin\"", audit.DetailsJson);
            Assert.Contains("\"to\":\"Manager\"", audit.DetailsJson);
        }

        Assert.False((await access.DeactivateAsync(second, SecurityHost.Admin)).Succeeded);
        Assert.False((await access.SetRoleAsync(second, Roles.Agent, SecurityHost.Admin)).Succeeded);
    }

    [Fact]
    public async Task TwoAdminsDemotingEachOtherAtOnceLeaveOneAdmin()
    {
        using var app = new AppFactory();
        var access = app.Services.GetRequiredService<AccessAdmin>();
        var demo = await SecurityHost.UserIdAsync(app, DemoAdmin);
        var second = await SecurityHost.CreateUserAsync(app, "rival-admin@test.example", Roles.Admin);

        var outcomes = await Task.WhenAll(
            Task.Run(() => access.SetRoleAsync(demo, Roles.Agent, SecurityHost.Person("rival-admin@test.example", Roles.Admin))),
            Task.Run(() => access.SetRoleAsync(second, Roles.Agent, SecurityHost.Person(DemoAdmin, Roles.Admin))));

        Assert.Single(outcomes, o => o.Succeeded);
        Assert.Single(await access.UsersAsync(SecurityHost.Admin), u => u.Role == Roles.Admin && u.Active);
    }
}
