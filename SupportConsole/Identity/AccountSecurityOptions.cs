using System.ComponentModel.DataAnnotations;

namespace SupportConsole.Identity;

/// <summary>
/// Configuration section <c>AccountSecurity</c>: how long a sign-in lasts, how soon a change to the account reaches every
/// open session, and how sign-in attempts are limited. One address can never lock another person's account: it gets at
/// most <see cref="AttemptsPerAccountPerClient"/> attempts at once on one account, then one more every
/// <see cref="AttemptRefillMinutes"/>, which stays under <see cref="MaxFailedSignIns"/> within a
/// <see cref="FailureWindowMinutes"/> window (checked at start-up).
/// </summary>
public sealed class AccountSecurityOptions : IValidatableObject
{
    public const string SectionName = "AccountSecurity";

    /// <summary>A sign-in cookie lasts this long after the last request (sliding).</summary>
    [Range(0.1, 24 * 30)]
    public double SessionHours { get; set; } = 10;

    /// <summary>
    /// How often a cookie and an open circuit are checked against the account (security stamp, active): a role change,
    /// a password change, a deactivation or a sign-out ends every older session within this time.
    /// </summary>
    [Range(1, 60)]
    public int SessionCheckSeconds { get; set; } = 60;

    /// <summary>Failed sign-ins within one window that lock the account.</summary>
    [Range(3, 100)]
    public int MaxFailedSignIns { get; set; } = 10;

    /// <summary>Failures count towards a lockout within this many minutes from the first one.</summary>
    [Range(1, 24 * 60)]
    public int FailureWindowMinutes { get; set; } = 15;

    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Sign-in attempts one client address may make on one account at once (a token bucket per address and account).</summary>
    [Range(1, 100)]
    public int AttemptsPerAccountPerClient { get; set; } = 5;

    /// <summary>One more attempt per address and account comes back after this many minutes.</summary>
    [Range(1, 24 * 60)]
    public int AttemptRefillMinutes { get; set; } = 5;

    /// <summary>Sign-in posts one client address may make per minute, whatever the accounts (against password spraying).</summary>
    [Range(1, 100_000)]
    public int SignInsPerClientPerMinute { get; set; } = 120;

    public TimeSpan SessionCheckInterval => TimeSpan.FromSeconds(SessionCheckSeconds);

    /// <summary>The most attempts one address can make on one account within one failure window: a full bucket, then what refills in the window.</summary>
    public int MostAttemptsPerWindow => AttemptsPerAccountPerClient + (FailureWindowMinutes / AttemptRefillMinutes);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MostAttemptsPerWindow >= MaxFailedSignIns)
        {
            yield return new ValidationResult(
                $"one address could lock an account: {AttemptsPerAccountPerClient} attempts plus one every {AttemptRefillMinutes} min make {MostAttemptsPerWindow} "
                + $"within {FailureWindowMinutes} min, and {MaxFailedSignIns} failures lock it",
                [nameof(AttemptsPerAccountPerClient), nameof(MaxFailedSignIns)]);
        }
    }
}
