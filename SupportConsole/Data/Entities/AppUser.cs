using Microsoft.AspNetCore.Identity;

namespace SupportConsole.Data.Entities;

/// <summary>A person who signs in to the console.</summary>
public sealed class AppUser : IdentityUser
{
    public string? DisplayName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set when an admin deactivated the account: it cannot sign in and its sessions end (the security stamp changed too).</summary>
    public DateTimeOffset? DeactivatedAt { get; set; }

    /// <summary>When the failures counted in <see cref="IdentityUser.AccessFailedCount"/> began: older failures no longer count towards a lockout.</summary>
    public DateTimeOffset? FailedSignInsSince { get; set; }
}
