using SupportConsole.Cli;

namespace SupportConsole.Tests.TestSupport;

/// <summary>Runs the app's command line in-process and captures what it printed.</summary>
public static class CommandLine
{
    public static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await SupportConsoleCommandLine.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
