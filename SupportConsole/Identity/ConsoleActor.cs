using System.Security.Claims;

namespace SupportConsole.Identity;

/// <summary>
/// Who asks an admin service to act: a signed-in person (name and roles from their current principal) or a trusted part of
/// the installation itself (a job, the command line, a benchmark), which holds every role. The services check the role
/// themselves, so a page that forgot its policy, or a principal that lost a role a moment ago, cannot act.
/// </summary>
public sealed class ConsoleActor
{
    private readonly HashSet<string> _roles;

    private ConsoleActor(string name, IEnumerable<string> roles)
    {
        Name = name;
        _roles = new HashSet<string>(roles, StringComparer.Ordinal);
    }

    /// <summary>What audit entries and logs record as the actor.</summary>
    public string Name { get; }

    public static ConsoleActor From(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name }
            ? new ConsoleActor(name, Roles.All.Where(user.IsInRole))
            : new ConsoleActor("anonymous", []);

    /// <summary>The installation acting on its own behalf (<c>job:...</c>, <c>cli:...</c>): every role.</summary>
    public static ConsoleActor System(string name) => new(name, Roles.All);

    public bool IsInRole(string role) => _roles.Contains(role);

    /// <summary>Throws <see cref="ConsoleAccessDeniedException"/> unless the actor holds <paramref name="role"/>.</summary>
    public void Require(string role, string action)
    {
        if (!IsInRole(role))
        {
            throw new ConsoleAccessDeniedException($"{Name} may not {action}: it needs the {role} role");
        }
    }

    public override string ToString() => Name;
}

/// <summary>An admin service refused a caller that lacks the role.</summary>
public sealed class ConsoleAccessDeniedException(string message) : UnauthorizedAccessException(message);
