namespace SupportConsole.Identity;

/// <summary>The result of an action in the console: done, or why not (another agent got there first, bad input, no right to it...).</summary>
public sealed record ActionResult(bool Succeeded, string Message)
{
    public static ActionResult Ok(string message) => new(true, message);

    public static ActionResult Failed(string message) => new(false, message);
}
