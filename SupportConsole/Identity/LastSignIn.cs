using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Data;

namespace SupportConsole.Identity;

/// <summary>
/// Records each user's last successful sign-in (the Users page shows it): after the sign-in cookie is issued, whatever
/// signed the user in. Added to the cookie's events after they are configured, so it runs with the others.
/// </summary>
public sealed class LastSignIn(IDbContextFactory<SupportConsoleDbContext> contexts, TimeProvider clock) : IPostConfigureOptions<CookieAuthenticationOptions>
{
    public void PostConfigure(string? name, CookieAuthenticationOptions options)
    {
        if (name != IdentityConstants.ApplicationScheme)
        {
            return;
        }

        var previous = options.Events.OnSignedIn;
        options.Events.OnSignedIn = async context =>
        {
            await previous(context);
            if (context.Principal?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value is { } userId)
            {
                await RecordAsync(userId, context.HttpContext.RequestAborted);
            }
        };
    }

    public async Task RecordAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastSignInAt, now), cancellationToken);
    }
}

public static class LastSignInRegistration
{
    public static IServiceCollection AddLastSignIn(this IServiceCollection services) =>
        services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, LastSignIn>();
}
