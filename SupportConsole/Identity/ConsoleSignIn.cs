using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using SupportConsole.Data.Entities;

namespace SupportConsole.Identity;

/// <summary>How a sign-in attempt ended. Every failure answers the same, whether the account exists, is locked or deactivated.</summary>
public enum SignInOutcome
{
    SignedIn,
    Failed,

    /// <summary>This address made too many attempts on this account (or on any account): nothing was checked.</summary>
    Throttled,
}

/// <summary>
/// Sign-in attempts per client address and account: a token bucket each (<see cref="AccountSecurityOptions.AttemptsPerAccountPerClient"/>
/// at once, one more every <see cref="AccountSecurityOptions.AttemptRefillMinutes"/>). An attempt takes a token before the
/// password is checked, so parallel posts cannot overrun the bucket; a successful sign-in gives its token back, so only
/// failures use the budget up. Keyed by the posted email (the rate-limiting middleware cannot read the form); full
/// buckets are dropped when the table grows.
/// </summary>
public sealed class SignInAttempts(IOptions<AccountSecurityOptions> options, TimeProvider clock)
{
    private const int SweepAbove = 10_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Takes one attempt for <paramref name="email"/> from <paramref name="client"/>; false when none is left.</summary>
    public bool TryTake(IPAddress? client, string email)
    {
        var settings = options.Value;
        var now = clock.GetTimestamp();
        if (_buckets.Count > SweepAbove)
        {
            foreach (var (key, full) in _buckets.Where(b => b.Value.IsFull(settings, clock, now)).ToList())
            {
                _buckets.TryRemove(new KeyValuePair<string, Bucket>(key, full));
            }
        }

        var bucket = _buckets.GetOrAdd(Key(client, email), _ => new Bucket(settings.AttemptsPerAccountPerClient, now));
        lock (bucket)
        {
            bucket.Refill(settings, clock, now);
            if (bucket.Tokens < 1)
            {
                return false;
            }

            bucket.Tokens -= 1;
            return true;
        }
    }

    /// <summary>Gives back the attempt a successful sign-in took.</summary>
    public void Refund(IPAddress? client, string email)
    {
        if (_buckets.TryGetValue(Key(client, email), out var bucket))
        {
            lock (bucket)
            {
                bucket.Tokens = Math.Min(options.Value.AttemptsPerAccountPerClient, bucket.Tokens + 1);
            }
        }
    }

    private static string Key(IPAddress? client, string email) => $"{client}|{email.Trim().ToUpperInvariant()}";

    private sealed class Bucket(double tokens, long refilledAt)
    {
        public double Tokens { get; set; } = tokens;

        private long RefilledAt { get; set; } = refilledAt;

        public void Refill(AccountSecurityOptions settings, TimeProvider clock, long now)
        {
            var minutes = clock.GetElapsedTime(RefilledAt, now).TotalMinutes;
            Tokens = Math.Min(settings.AttemptsPerAccountPerClient, Tokens + (minutes / settings.AttemptRefillMinutes));
            RefilledAt = now;
        }

        public bool IsFull(AccountSecurityOptions settings, TimeProvider clock, long now)
        {
            lock (this)
            {
                Refill(settings, clock, now);
                return Tokens >= settings.AttemptsPerAccountPerClient;
            }
        }
    }
}

/// <summary>
/// Password sign-in for people. Unknown, locked and deactivated accounts cost one password hash like a real attempt and
/// answer the same; failures count towards a lockout within one window; every failure and lockout is logged as a
/// structured warning with the account and the client address.
/// </summary>
public sealed class ConsoleSignIn(
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    IPasswordHasher<AppUser> hasher,
    SignInAttempts attempts,
    IOptions<AccountSecurityOptions> options,
    TimeProvider clock,
    ILogger<ConsoleSignIn> logger)
{
    private static readonly Lazy<string> UnknownAccountHash = new(() =>
        new PasswordHasher<AppUser>().HashPassword(new AppUser(), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))));

    public async Task<SignInOutcome> SignInAsync(string email, string password, IPAddress? client)
    {
        email = email.Trim();
        if (!attempts.TryTake(client, email))
        {
            logger.LogWarning("Sign-in attempts for {Email} from {Client} are throttled", email, client);
            return SignInOutcome.Throttled;
        }

        var user = email.Length == 0 ? null : await users.FindByEmailAsync(email);
        if (user is null)
        {
            hasher.VerifyHashedPassword(new AppUser(), UnknownAccountHash.Value, password);
            logger.LogWarning("Failed sign-in for {Email} from {Client}: no such account", email, client);
            return SignInOutcome.Failed;
        }

        if (user.DeactivatedAt is not null || await users.IsLockedOutAsync(user))
        {
            hasher.VerifyHashedPassword(user, user.PasswordHash ?? UnknownAccountHash.Value, password);
            logger.LogWarning("Refused sign-in for {Email} from {Client}: the account is {State}", email, client,
                user.DeactivatedAt is not null ? "deactivated" : "locked");
            return SignInOutcome.Failed;
        }

        if (!await users.CheckPasswordAsync(user, password))
        {
            await RecordFailureAsync(user, client);
            return SignInOutcome.Failed;
        }

        if (user.AccessFailedCount > 0 || user.FailedSignInsSince is not null)
        {
            user.FailedSignInsSince = null;
            await users.ResetAccessFailedCountAsync(user);
        }

        attempts.Refund(client, email);
        await signIn.SignInAsync(user, isPersistent: true);
        logger.LogInformation("{Email} signed in from {Client}", email, client);
        return SignInOutcome.SignedIn;
    }

    /// <summary>Ends every session of <paramref name="user"/> (a new security stamp), then this one's cookie.</summary>
    public async Task SignOutAsync(System.Security.Claims.ClaimsPrincipal user)
    {
        if (await users.GetUserAsync(user) is { } account)
        {
            await users.UpdateSecurityStampAsync(account);
            logger.LogInformation("{Email} signed out; every session of the account ends", account.Email);
        }

        await signIn.SignOutAsync();
    }

    private async Task RecordFailureAsync(AppUser user, IPAddress? client)
    {
        var now = clock.GetUtcNow();
        if (user.FailedSignInsSince is not { } since || now - since > TimeSpan.FromMinutes(options.Value.FailureWindowMinutes))
        {
            // Failures from before the window no longer count: a slow trickle from one address never adds up to a lockout.
            user.FailedSignInsSince = now;
            user.AccessFailedCount = 0;
        }

        var failures = user.AccessFailedCount + 1;
        await users.AccessFailedAsync(user);
        if (await users.IsLockedOutAsync(user))
        {
            user.FailedSignInsSince = null;
            await users.UpdateAsync(user);
            logger.LogWarning("Account {Email} locked for {Minutes} min after {Failures} failed sign-ins; the last from {Client}",
                user.Email, options.Value.LockoutMinutes, failures, client);
        }
        else
        {
            logger.LogWarning("Failed sign-in for {Email} from {Client}: wrong password ({Failures} of {Max})", user.Email, client, failures,
                options.Value.MaxFailedSignIns);
        }
    }
}
