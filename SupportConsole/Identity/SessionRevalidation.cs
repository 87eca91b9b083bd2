using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using SupportConsole.Data.Entities;

namespace SupportConsole.Identity;

/// <summary>
/// Re-checks an open circuit's user every <see cref="AccountSecurityOptions.SessionCheckSeconds"/>: once the account's
/// security stamp changed (role or password change, deactivation, sign-out) or the account is deactivated, the circuit
/// is signed out and its pages send the person to sign in again. Cookies are checked the same way by Identity's
/// security-stamp validator on each request.
/// </summary>
public sealed class SessionRevalidatingStateProvider(
    ILoggerFactory loggers,
    IServiceScopeFactory scopes,
    IOptions<AccountSecurityOptions> options,
    IOptions<IdentityOptions> identity) : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => options.Value.SessionCheckInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return await IsCurrentAsync(users, authenticationState.User, identity.Value.ClaimsIdentity.SecurityStampClaimType);
    }

    /// <summary>True while the principal's account exists, is active and has the stamp the principal was issued with.</summary>
    public static async Task<bool> IsCurrentAsync(UserManager<AppUser> users, ClaimsPrincipal principal, string stampClaimType)
    {
        if (await users.GetUserAsync(principal) is not { DeactivatedAt: null } user)
        {
            return false;
        }

        return !users.SupportsUserSecurityStamp || principal.FindFirstValue(stampClaimType) == await users.GetSecurityStampAsync(user);
    }
}
