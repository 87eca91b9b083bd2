using SupportConsole.Administration;
using SupportConsole.Identity;

namespace SupportConsole.Tests.Security;

/// <summary>
/// The admin services check the caller's role themselves, not only the page: each called as an agent (and users, keys
/// and the kill switch as a manager) refuses, and nothing changes.
/// </summary>
public sealed class AdminServiceRoleTests(ApiHost host) : IClassFixture<ApiHost>
{
    public static TheoryData<string> Refusing => new() { Roles.Agent, Roles.Manager };

    [Theory]
    [MemberData(nameof(Refusing))]
    public async Task UsersKeysAndTheKillSwitchRefuseAnyoneButAnAdmin(string role)
    {
        var caller = SecurityHost.Person($"{role.ToLowerInvariant()}@demo.example", role);
        var access = host.App.Services.GetRequiredService<AccessAdmin>();
        var killSwitch = host.App.Services.GetRequiredService<KillSwitch>();
        var agentId = await SecurityHost.UserIdAsync(host.App, "agent@demo.example");
        var keys = await access.KeysAsync(SecurityHost.Admin);

        await Assert.ThrowsAsync<ConsoleAccessDeniedException>(() => killSwitch.SetAsync(true, caller, "not mine to flip"));
        await Assert.ThrowsAsync<ConsoleAccessDeniedException>(() => access.UsersAsync(caller));
        await Assert.ThrowsAsync<ConsoleAccessDeniedException>(() => access.CreateUserAsync("intruder@test.example", "Intruder", Roles.Admin, "Intruder-pass-1", caller));
        await Assert.ThrowsAsync<ConsoleAccessDeniedException>(() => access.SetRoleAsync(agentId, Roles.Admin, caller));
        await Assert.ThrowsAsync<ConsoleAccessDeniedException>(() => access.DeactivateAsync(agentId, caller));
        await Assert.ThrowsAsync<ConsoleAccessDeniedException>(() => access.DeleteUserAsync(agentId, caller));
        await Assert.ThrowsAsync<ConsoleAccessDeniedException>(() => access.AddAdminAsync("intruder@test.example", null, "Intruder-pass-1", caller));
        await Assert.ThrowsAsync<ConsoleAccessDeniedException>(() => access.KeysAsync(caller));
        await Assert.ThrowsAsync<ConsoleAccessDeniedException>(() => access.CreateKeyAsync("stolen", ["tickets:read"], caller));

        Assert.False((await killSwitch.CurrentAsync()).Engaged);
        Assert.DoesNotContain(await access.UsersAsync(SecurityHost.Admin), u => u.Email == "intruder@test.example");
        Assert.Equal(keys.Count, (await access.KeysAsync(SecurityHost.Admin)).Count);
    }

    [Fact]
    public async Task BandPolicyRefusesAnAgent()
    {
        var policy = host.App.Services.GetRequiredService<PolicyAdmin>();
        var (policies, gate, rules) = await policy.LoadAsync();

        await Assert.ThrowsAsync<ConsoleAccessDeniedException>(() => policy.SaveAsync(policies, gate with { GroundednessFloor = 0.1 },
            rules.ToDictionary(r => r.Id, r => r.Enabled), SecurityHost.Person("agent@demo.example", Roles.Agent)));

        Assert.Equal(gate, (await policy.LoadAsync()).Gate);
    }

    [Fact]
    public async Task AnAnonymousCallerIsRefused()
    {
        var anonymous = ConsoleActor.From(new System.Security.Claims.ClaimsPrincipal());

        await Assert.ThrowsAsync<ConsoleAccessDeniedException>(() => host.App.Services.GetRequiredService<KillSwitch>().SetAsync(true, anonymous, "x"));
    }
}
