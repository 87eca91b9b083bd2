using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using SupportConsole.Administration;
using SupportConsole.Data.Entities;
using SupportConsole.Identity;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Security;

/// <summary>Helpers the security tests share: actors, accounts and what a response means.</summary>
public static class SecurityHost
{
    /// <summary>A check interval short enough to wait for in a test (the default is 60 s).</summary>
    public static readonly IReadOnlyDictionary<string, string?> QuickSessionChecks = new Dictionary<string, string?>
    {
        ["AccountSecurity:SessionCheckSeconds"] = "1",
    };

    public static readonly TimeSpan PastOneCheck = TimeSpan.FromSeconds(1.6);

    public static ConsoleActor Admin => ConsoleActor.System("test-admin");

    /// <summary>A signed-in person with exactly the roles of <paramref name="role"/>, as a page would pass them.</summary>
    public static ConsoleActor Person(string email, string role) =>
        ConsoleActor.From(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, email), .. Roles.Including(role).Select(r => new Claim(ClaimTypes.Role, r))], "test")));

    public static async Task<string> UserIdAsync(AppFactory app, string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email))!.Id;
    }

    /// <summary>Creates an account with the role and returns its id.</summary>
    public static async Task<string> CreateUserAsync(AppFactory app, string email, string role, string password = "Second-user-1")
    {
        var outcome = await app.Services.GetRequiredService<AccessAdmin>().CreateUserAsync(email, email, role, password, Admin);
        Assert.True(outcome.Succeeded, outcome.Message);
        return await UserIdAsync(app, email);
    }

    /// <summary>True when the answer lets the request through (not a sign-in redirect, 401 or 403).</summary>
    public static bool Allowed(HttpResponseMessage response) => response.StatusCode == HttpStatusCode.OK;
}
