using SupportConsole.Cli;
using SupportConsole.Hosting;

if (SupportConsoleCommandLine.IsCommand(args))
{
    return await SupportConsoleCommandLine.RunAsync(args);
}

var app = SupportConsoleApp.Build(args);
await app.RunAsync();
return 0;

/// <summary>Entry point; public so integration tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
