using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Api;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Identity;

namespace SupportConsole.Administration;

/// <summary>A user as the Users page lists them.</summary>
public sealed record UserRow(string Id, string Email, string? DisplayName, string Role, bool LockedOut)
{
    /// <summary>The last successful sign-in (null: never).</summary>
    public DateTimeOffset? LastSignInAt { get; init; }
}

/// <summary>An API key as the keys page lists it (never the key itself).</summary>
public sealed record ApiKeyRow(Guid Id, string Name, string Prefix, string Scopes, DateTimeOffset CreatedAt, string? CreatedBy, DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt);

/// <summary>Users and API keys, for admins. A new key is returned once; only its hash is stored.</summary>
public sealed class AccessAdmin(IDbContextFactory<SupportConsoleDbContext> contexts, IServiceScopeFactory scopes, TimeProvider clock)
{
    public async Task<IReadOnlyList<UserRow>> UsersAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var rows = new List<UserRow>();
        foreach (var user in await users.Users.OrderBy(u => u.Email).ToListAsync(cancellationToken))
        {
            var roles = await users.GetRolesAsync(user);
            var top = roles.Contains(Roles.Admin) ? Roles.Admin : roles.Contains(Roles.Manager) ? Roles.Manager : roles.Contains(Roles.Agent) ? Roles.Agent : "-";
            rows.Add(new UserRow(user.Id, user.Email ?? user.UserName ?? user.Id, user.DisplayName, top, await users.IsLockedOutAsync(user))
            {
                LastSignInAt = user.LastSignInAt,
            });
        }

        return rows;
    }

    public async Task<ActionOutcome> CreateUserAsync(string email, string displayName, string role, string password, string actor)
    {
        if (!Roles.All.Contains(role))
        {
            return new ActionOutcome(false, $"Unknown role {role}.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email.Trim(), Email = email.Trim(), EmailConfirmed = true, DisplayName = displayName.Trim(), CreatedAt = clock.GetUtcNow() };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return new ActionOutcome(false, string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        await users.AddToRolesAsync(user, Roles.Including(role));
        await AuditAsync(actor, "user.created", "user", user.Email!, new { role });
        return new ActionOutcome(true, $"User {email} created as {role}.");
    }

    public async Task<ActionOutcome> SetRoleAsync(string userId, string role, string actor)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null || !Roles.All.Contains(role))
        {
            return new ActionOutcome(false, "Unknown user or role.");
        }

        await users.RemoveFromRolesAsync(user, await users.GetRolesAsync(user));
        await users.AddToRolesAsync(user, Roles.Including(role));
        await users.UpdateSecurityStampAsync(user);
        await AuditAsync(actor, "user.role-changed", "user", user.Email!, new { role });
        return new ActionOutcome(true, $"{user.Email} is now {role}.");
    }

    /// <summary>
    /// Gives the user a new temporary password (returned once, to pass on; only its hash is stored) and ends their
    /// sessions. The old password stops working at once.
    /// </summary>
    public async Task<(ActionOutcome Outcome, string? Password)> ResetPasswordAsync(string userId, string actor)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return (new ActionOutcome(false, "Unknown user."), null);
        }

        var password = TemporaryPassword.Create();
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, password);
        if (!reset.Succeeded)
        {
            return (new ActionOutcome(false, string.Join(" ", reset.Errors.Select(e => e.Description))), null);
        }

        // A locked-out user who forgot their password can sign in with the new one at once.
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await AuditAsync(actor, "user.password-reset", "user", user.Email!, null);
        return (new ActionOutcome(true, $"{user.Email} has a new temporary password; their open sessions end. Pass it on safely: it is shown only now."), password);
    }

    public async Task<IReadOnlyList<ApiKeyRow>> KeysAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.CreatedAt)
            .Select(k => new ApiKeyRow(k.Id, k.Name, k.Prefix, k.Scopes, k.CreatedAt, k.CreatedBy, k.LastUsedAt, k.RevokedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Creates a key and returns it in full: the only time anyone sees it.</summary>
    public async Task<(ActionOutcome Outcome, string? Key)> CreateKeyAsync(string name, IReadOnlyCollection<string> scopes, string actor,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 128)
        {
            return (new ActionOutcome(false, "Give the key a name (up to 128 characters)."), null);
        }

        if (scopes.Count == 0 || scopes.Any(s => !ApiScopes.All.Contains(s)))
        {
            return (new ActionOutcome(false, "Choose at least one valid scope."), null);
        }

        var key = ApiKeyFormat.NewKey();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.ApiKeys.Add(new ApiKey
        {
            Id = Guid.CreateVersion7(),
            Name = name.Trim(),
            Prefix = ApiKeyFormat.LookupPrefix(key),
            Hash = ApiKeyFormat.Hash(key),
            Scopes = string.Join(' ', scopes),
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = actor,
        });
        db.AuditEvents.Add(Audit(actor, "api-key.created", "api-key", name.Trim(), new { scopes }));
        await db.SaveChangesAsync(cancellationToken);
        return (new ActionOutcome(true, "Key created. Copy it now: it will not be shown again."), key);
    }

    public async Task<ActionOutcome> RevokeKeyAsync(Guid id, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null || key.RevokedAt is not null)
        {
            return new ActionOutcome(false, "No such active key.");
        }

        key.RevokedAt = clock.GetUtcNow();
        db.AuditEvents.Add(Audit(actor, "api-key.revoked", "api-key", key.Name, null));
        await db.SaveChangesAsync(cancellationToken);
        return new ActionOutcome(true, $"Key {key.Name} revoked.");
    }

    private async Task AuditAsync(string actor, string action, string type, string id, object? details)
    {
        await using var db = await contexts.CreateDbContextAsync();
        db.AuditEvents.Add(Audit(actor, action, type, id, details));
        await db.SaveChangesAsync();
    }

    private AuditEvent Audit(string actor, string action, string type, string id, object? details) =>
        AuditEvent.Record(clock.GetUtcNow(), actor, action, type, id, details is null ? null : JsonSerializer.Serialize(details));
}

/// <summary>Temporary passwords an admin hands on: 16 letters and digits (no look-alikes), at least one of each kind the password rules ask for.</summary>
public static class TemporaryPassword
{
    private const string Lower = "abcdefghijkmnpqrstuvwxyz";
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Digits = "23456789";
    public const int Length = 16;

    public static string Create()
    {
        const string all = Lower + Upper + Digits;
        var chars = new char[Length];
        chars[0] = Lower[System.Security.Cryptography.RandomNumberGenerator.GetInt32(Lower.Length)];
        chars[1] = Upper[System.Security.Cryptography.RandomNumberGenerator.GetInt32(Upper.Length)];
        chars[2] = Digits[System.Security.Cryptography.RandomNumberGenerator.GetInt32(Digits.Length)];
        for (var i = 3; i < Length; i++)
        {
            chars[i] = all[System.Security.Cryptography.RandomNumberGenerator.GetInt32(all.Length)];
        }

        System.Security.Cryptography.RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }
}
