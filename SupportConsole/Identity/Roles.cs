namespace SupportConsole.Identity;

/// <summary>The console's roles. An admin is also a manager, a manager also an agent: users hold every role below theirs.</summary>
public static class Roles
{
    public const string Agent = "Agent";
    public const string Manager = "Manager";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [Agent, Manager, Admin];

    /// <summary>The roles a user of <paramref name="role"/> holds.</summary>
    public static IReadOnlyList<string> Including(string role) => role switch
    {
        Admin => [Agent, Manager, Admin],
        Manager => [Agent, Manager],
        Agent => [Agent],
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown role"),
    };
}

/// <summary>Authorization policies of the console's pages and actions.</summary>
public static class Policies
{
    public const string Agent = "console:agent";
    public const string Manager = "console:manager";
    public const string Admin = "console:admin";
}
