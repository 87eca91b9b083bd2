using System.CommandLine;
using Microsoft.AspNetCore.Identity;
using SupportConsole.Administration;
using SupportConsole.Data;
using SupportConsole.Hosting;
using SupportConsole.Identity;

namespace SupportConsole.Cli;

/// <summary>
/// <c>users add-admin</c>: on the server, make an account an active admin again (create it, or promote, reactivate and
/// unlock it), for when nobody can reach the Users page. Whoever can run it can read the database anyway.
/// </summary>
internal static class UserCommands
{
    public static Command Create(TextWriter output) => new("users", "Accounts of the console, from the server.")
    {
        AddAdmin(output),
    };

    private static Command AddAdmin(TextWriter output)
    {
        var email = new Option<string>("--email") { Description = "The account's email (created if there is none).", Required = true };
        var name = new Option<string?>("--name") { Description = "Display name of a new account (default: the email)." };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input (keeps it out of the process list)." };
        var password = new Option<string?>("--password") { Description = "The password (at least 10 characters; prefer --password-stdin). Needed for a new account; sets a new one for an existing account." };
        var dataDirectory = new Option<string?>("--data-dir") { Description = "State folder (SQLite file); default SUPPORTCONSOLE_DATA_DIR, else ./var." };
        var command = new Command("add-admin", "Make an account an active admin: create it, or promote, reactivate and unlock it; audited.")
        {
            email, name, passwordStdin, password, dataDirectory,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var secret = parse.GetValue(passwordStdin) ? Console.In.ReadLine() : parse.GetValue(password);
            string[] args = parse.GetValue(dataDirectory) is { } directory
                ? [$"--{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.DataDirectory)}={Path.GetFullPath(directory)}"]
                : [];
            using var host = SupportConsoleApp.BuildWorkerHost(args, builder => builder.AddSupportConsoleAccounts());
            await host.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(cancellationToken);
            await using (var scope = host.Services.CreateAsyncScope())
            {
                await DemoAccountSeeder.EnsureRolesAsync(scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>());
            }

            var outcome = await host.Services.GetRequiredService<AccessAdmin>()
                .AddAdminAsync(parse.GetRequiredValue(email), parse.GetValue(name), secret, ConsoleActor.System($"cli:{Environment.UserName}"));
            if (!outcome.Succeeded)
            {
                throw new ArgumentException(outcome.Message.TrimEnd('.'));
            }

            output.WriteLine(outcome.Message);
            return 0;
        });
        return command;
    }
}
