using Microsoft.AspNetCore.Identity;

namespace SupportConsole.Data.Entities;

/// <summary>A person who signs in to the console.</summary>
public sealed class AppUser : IdentityUser
{
    public string? DisplayName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The last successful sign-in (null: never signed in).</summary>
    public DateTimeOffset? LastSignInAt { get; set; }
}
