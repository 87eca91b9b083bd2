using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Identity;

namespace SupportConsole.Administration;

/// <summary>A user as the Users page lists them.</summary>
public sealed record UserRow(string Id, string Email, string? DisplayName, string Role, bool LockedOut, bool Active)
{
    /// <summary>The last successful sign-in (null: never).</summary>
    public DateTimeOffset? LastSignInAt { get; init; }
}

/// <summary>An API key as the keys page lists it (never the key itself).</summary>
public sealed record ApiKeyRow(Guid Id, string Name, string Prefix, string Scopes, DateTimeOffset CreatedAt, string? CreatedBy, DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt);

/// <summary>
/// Users and API keys, for admins: every call checks the caller's role itself. The last active admin can never be
/// demoted, deactivated or deleted (checked inside the change's transaction, so two admins demoting each other at once
/// cannot both succeed). A change of role, a deactivation and a deletion renew the account's security stamp: its
/// sessions end within <see cref="Identity.AccountSecurityOptions.SessionCheckSeconds"/>. A new key is returned once;
/// only its hash is stored.
/// </summary>
public sealed class AccessAdmin(IDbContextFactory<SupportConsoleDbContext> contexts, IServiceScopeFactory scopes, TimeProvider clock, ILogger<AccessAdmin> logger)
{
    /// <summary>One account change at a time in this process; the transaction guards against other instances.</summary>
    private readonly SemaphoreSlim _accountChanges = new(1, 1);

    public async Task<IReadOnlyList<UserRow>> UsersAsync(ConsoleActor actor, CancellationToken cancellationToken = default)
    {
        actor.Require(Roles.Admin, "list users");
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var rows = new List<UserRow>();
        foreach (var user in await users.Users.OrderBy(u => u.Email).ToListAsync(cancellationToken))
        {
            rows.Add(new UserRow(user.Id, user.Email ?? user.UserName ?? user.Id, user.DisplayName, TopRole(await users.GetRolesAsync(user)),
                await users.IsLockedOutAsync(user), user.DeactivatedAt is null)
            {
                LastSignInAt = user.LastSignInAt,
            });
        }

        return rows;
    }

    public async Task<ActionResult> CreateUserAsync(string email, string displayName, string role, string password, ConsoleActor actor)
    {
        actor.Require(Roles.Admin, "create users");
        if (!Roles.All.Contains(role))
        {
            return new ActionResult(false, $"Unknown role {role}.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email.Trim(), Email = email.Trim(), EmailConfirmed = true, DisplayName = displayName.Trim(), CreatedAt = clock.GetUtcNow() };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return new ActionResult(false, Describe(created));
        }

        await users.AddToRolesAsync(user, Roles.Including(role));
        await AuditAsync(actor, "user.created", "user", user.Email!, new { role });
        logger.LogInformation("{Actor} created user {Email} as {Role}", actor.Name, user.Email, role);
        return new ActionResult(true, $"User {email} created as {role}.");
    }

    /// <summary>Gives <paramref name="userId"/> the role <paramref name="role"/> (and the roles below it); audited with the old and the new role.</summary>
    public Task<ActionResult> SetRoleAsync(string userId, string role, ConsoleActor actor) =>
        ChangeAccountAsync(userId, actor, "change roles", async (users, user) =>
        {
            if (!Roles.All.Contains(role))
            {
                return AccountChange.Refused($"Unknown role {role}.");
            }

            var from = TopRole(await users.GetRolesAsync(user));
            if (from == role)
            {
                return AccountChange.Refused($"{user.Email} is already {role}.");
            }

            Check(await users.RemoveFromRolesAsync(user, await users.GetRolesAsync(user)));
            Check(await users.AddToRolesAsync(user, Roles.Including(role)));
            Check(await users.UpdateSecurityStampAsync(user));
            return AccountChange.Done($"{user.Email} is now {role}.", "user.role-changed", new { from, to = role });
        });

    /// <summary>Deactivates an account: it cannot sign in, and its sessions end.</summary>
    public Task<ActionResult> DeactivateAsync(string userId, ConsoleActor actor) =>
        ChangeAccountAsync(userId, actor, "deactivate users", async (users, user) =>
        {
            if (user.DeactivatedAt is not null)
            {
                return AccountChange.Refused($"{user.Email} is already deactivated.");
            }

            user.DeactivatedAt = clock.GetUtcNow();
            Check(await users.UpdateAsync(user));
            Check(await users.UpdateSecurityStampAsync(user));
            return AccountChange.Done($"{user.Email} is deactivated; their sessions end within a minute.", "user.deactivated", null);
        });

    public Task<ActionResult> ReactivateAsync(string userId, ConsoleActor actor) =>
        ChangeAccountAsync(userId, actor, "reactivate users", async (users, user) =>
        {
            if (user.DeactivatedAt is null)
            {
                return AccountChange.Refused($"{user.Email} is active.");
            }

            user.DeactivatedAt = null;
            Check(await users.UpdateAsync(user));
            return AccountChange.Done($"{user.Email} can sign in again.", "user.reactivated", null);
        });

    /// <summary>
    /// Gives the user a new temporary password (returned once, to pass on; only its hash is stored). The old password stops
    /// working at once, and the new security stamp ends the user's sessions. A locked-out user can sign in with it at once.
    /// </summary>
    public async Task<(ActionResult Outcome, string? Password)> ResetPasswordAsync(string userId, ConsoleActor actor)
    {
        var password = TemporaryPassword.Create();
        var outcome = await ChangeAccountAsync(userId, actor, "reset passwords", async (users, user) =>
        {
            var reset = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password);
            if (!reset.Succeeded)
            {
                return AccountChange.Refused(Describe(reset));
            }

            Check(await users.SetLockoutEndDateAsync(user, null));
            Check(await users.ResetAccessFailedCountAsync(user));
            return AccountChange.Done($"{user.Email} has a new temporary password; their open sessions end. Pass it on safely: it is shown only now.",
                "user.password-reset", null);
        });
        return (outcome, outcome.Succeeded ? password : null);
    }

    /// <summary>Deletes an account (the audit log keeps its email as the actor of what it did).</summary>
    public Task<ActionResult> DeleteUserAsync(string userId, ConsoleActor actor) =>
        ChangeAccountAsync(userId, actor, "delete users", async (users, user) =>
        {
            var role = TopRole(await users.GetRolesAsync(user));
            Check(await users.DeleteAsync(user));
            return AccountChange.Done($"{user.Email} is deleted.", "user.deleted", new { role });
        });

    /// <summary>
    /// Makes <paramref name="email"/> an active admin: creates the account (with <paramref name="password"/>) or promotes and
    /// reactivates an existing one. For the server's command line, when nobody can reach the admin pages any more.
    /// </summary>
    public async Task<ActionResult> AddAdminAsync(string email, string? displayName, string? password, ConsoleActor actor)
    {
        actor.Require(Roles.Admin, "add admins");
        email = email.Trim();
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByEmailAsync(email) is not { } existing)
        {
            if (string.IsNullOrEmpty(password))
            {
                return new ActionResult(false, $"there is no account {email}: give a password for the new admin");
            }

            var outcome = await CreateUserAsync(email, string.IsNullOrWhiteSpace(displayName) ? email : displayName, Roles.Admin, password, actor);
            return outcome.Succeeded ? outcome with { Message = $"created {email} as an active admin" } : outcome;
        }

        if (!string.IsNullOrEmpty(password))
        {
            // One validated step: a password the rules refuse leaves the old one in place.
            var reset = await users.ResetPasswordAsync(existing, await users.GeneratePasswordResetTokenAsync(existing), password);
            if (!reset.Succeeded)
            {
                return new ActionResult(false, Describe(reset));
            }
        }

        var wasAdmin = TopRole(await users.GetRolesAsync(existing)) == Roles.Admin;
        if (!wasAdmin)
        {
            Check(await users.RemoveFromRolesAsync(existing, await users.GetRolesAsync(existing)));
            Check(await users.AddToRolesAsync(existing, Roles.Including(Roles.Admin)));
        }

        existing.DeactivatedAt = null;
        existing.LockoutEnd = null;
        Check(await users.UpdateAsync(existing));
        Check(await users.ResetAccessFailedCountAsync(existing));
        Check(await users.UpdateSecurityStampAsync(existing));
        await AuditAsync(actor, "user.admin-restored", "user", existing.Email!, new { wasAdmin, passwordSet = !string.IsNullOrEmpty(password) });
        logger.LogWarning("{Actor} made {Email} an active admin", actor.Name, existing.Email);
        return new ActionResult(true, $"{existing.Email} is an active admin");
    }

    /// <summary>
    /// Runs one change to an account in a transaction, refuses it when it would leave no active admin, audits it and
    /// logs it. The change returns its outcome and, when it succeeded, what to audit.
    /// </summary>
    private async Task<ActionResult> ChangeAccountAsync(string userId, ConsoleActor actor, string what,
        Func<UserManager<AppUser>, AppUser, Task<AccountChange>> change)
    {
        actor.Require(Roles.Admin, what);
        await _accountChanges.WaitAsync();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var db = scope.ServiceProvider.GetRequiredService<SupportConsoleDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable);
            if (await users.FindByIdAsync(userId) is not { } user)
            {
                return new ActionResult(false, "There is no such user.");
            }

            var email = user.Email!;
            var (outcome, action, details) = await change(users, user);
            if (!outcome.Succeeded)
            {
                return outcome;
            }

            if (await ActiveAdminsAsync(db) == 0)
            {
                await transaction.RollbackAsync();
                return new ActionResult(false,
                    $"{email} is the last active admin: make another user admin first (or run `users add-admin` on the server). Nothing changed.");
            }

            db.AuditEvents.Add(Audit(actor, action!, "user", email, details));
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            logger.LogInformation("{Actor}: {Action} {Email} {Details}", actor.Name, action, email, details is null ? string.Empty : JsonSerializer.Serialize(details));
            return outcome;
        }
        catch (Exception e) when (DbExceptions.IsConflict(e))
        {
            return new ActionResult(false, "Another change to the users was saved at the same moment; nothing changed. Try again.");
        }
        finally
        {
            _accountChanges.Release();
        }
    }

    /// <summary>What a change to an account did, and what the audit log records of it.</summary>
    private sealed record AccountChange(ActionResult Outcome, string? AuditAction, object? AuditDetails)
    {
        public static AccountChange Refused(string message) => new(new ActionResult(false, message), null, null);

        public static AccountChange Done(string message, string auditAction, object? auditDetails) => new(new ActionResult(true, message), auditAction, auditDetails);
    }

    private static Task<int> ActiveAdminsAsync(SupportConsoleDbContext db) =>
        db.UserRoles.Join(db.Roles.Where(r => r.Name == Roles.Admin), ur => ur.RoleId, r => r.Id, (ur, _) => ur.UserId)
            .Join(db.Users.Where(u => u.DeactivatedAt == null), id => id, u => u.Id, (id, _) => id)
            .CountAsync();

    private static string TopRole(IList<string> roles) =>
        roles.Contains(Roles.Admin) ? Roles.Admin : roles.Contains(Roles.Manager) ? Roles.Manager : roles.Contains(Roles.Agent) ? Roles.Agent : "-";

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            // Identity's optimistic concurrency (the account was changed since it was read) is a conflict like any other.
            throw result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure))
                ? new DbUpdateConcurrencyException(Describe(result))
                : new InvalidOperationException(Describe(result));
        }
    }

    private async Task<IReadOnlyList<ApiKeyRow>> KeysAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.CreatedAt)
            .Select(k => new ApiKeyRow(k.Id, k.Name, k.Prefix, k.Scopes, k.CreatedAt, k.CreatedBy, k.LastUsedAt, k.RevokedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Creates a key and returns it in full: the only time anyone sees it.</summary>
    public async Task<(ActionResult Outcome, string? Key)> CreateKeyAsync(string name, IReadOnlyCollection<string> scopes, ConsoleActor actor,
        CancellationToken cancellationToken = default)
    {
        actor.Require(Roles.Admin, "create API keys");
        if (string.IsNullOrWhiteSpace(name) || name.Length > 128)
        {
            return (new ActionResult(false, "Give the key a name (up to 128 characters)."), null);
        }

        if (scopes.Count == 0 || scopes.Any(s => !ApiScopes.All.Contains(s)))
        {
            return (new ActionResult(false, "Choose at least one valid scope."), null);
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
            CreatedBy = actor.Name,
        });
        db.AuditEvents.Add(Audit(actor, "api-key.created", "api-key", name.Trim(), new { scopes }));
        await db.SaveChangesAsync(cancellationToken);
        return (new ActionResult(true, "Key created. Copy it now: it will not be shown again."), key);
    }

    public async Task<IReadOnlyList<ApiKeyRow>> KeysAsync(ConsoleActor actor, CancellationToken cancellationToken = default)
    {
        actor.Require(Roles.Admin, "list API keys");
        return await KeysAsync(cancellationToken);
    }

    public async Task<ActionResult> RevokeKeyAsync(Guid id, ConsoleActor actor, CancellationToken cancellationToken = default)
    {
        actor.Require(Roles.Admin, "revoke API keys");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null || key.RevokedAt is not null)
        {
            return new ActionResult(false, "No such active key.");
        }

        key.RevokedAt = clock.GetUtcNow();
        db.AuditEvents.Add(Audit(actor, "api-key.revoked", "api-key", key.Name, null));
        await db.SaveChangesAsync(cancellationToken);
        return new ActionResult(true, $"Key {key.Name} revoked.");
    }

    private async Task AuditAsync(ConsoleActor actor, string action, string type, string id, object? details)
    {
        await using var db = await contexts.CreateDbContextAsync();
        db.AuditEvents.Add(Audit(actor, action, type, id, details));
        await db.SaveChangesAsync();
    }

    private AuditEvent Audit(ConsoleActor actor, string action, string type, string id, object? details) =>
        AuditEvent.Record(clock.GetUtcNow(), actor.Name, action, type, id, details is null ? null : JsonSerializer.Serialize(details));
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
