using System.CommandLine;
using SupportConsole.Engine.Routing;

namespace SupportConsole.Cli;

/// <summary>
/// The command-line verbs hosted by the app (<c>router train|eval|predict|bench</c>). With no verb the program
/// starts the web console instead. Failures print one readable line on stderr and exit non-zero.
/// </summary>
public static class SupportConsoleCommandLine
{
    public const int UsageError = 2;
    public const int Failure = 1;

    private static readonly HashSet<string> Verbs = ["router", "embedder", "retrieval", "tickets", "bench", "eval", "db", "simulate", "reports", "users", "privacy"];

    /// <summary>True when the arguments name a verb; anything else (such as --urls) is for the web host.</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var root = new RootCommand("SupportConsole: the support-operations console and its routing engine.")
        {
            RouterCommands.Create(output),
            RetrievalCommands.Embedder(output),
            RetrievalCommands.Retrieval(output),
            TicketCommands.Create(output),
            BenchCommands.Create(output, error),
            EvaluationCommands.Create(output),
            DatabaseCommands.Create(output, error),
            SimulateCommands.Simulate(output, error),
            SimulateCommands.Reports(output),
            UserCommands.Create(output),
            PrivacyCommands.Create(output, error),
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            await error.WriteLineAsync($"error: {parse.Errors[0].Message} (see --help)");
            return UsageError;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is DataFileException or RouterModelException or ArgumentException or IOException
                                       or UnauthorizedAccessException or Engine.Retrieval.KbFormatException
                                       or Engine.Retrieval.EmbedderModelException or Engine.Encoders.EncoderModelException
                                       or Microsoft.Extensions.Options.OptionsValidationException
                                       or InvalidOperationException or Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException)
        {
            await error.WriteLineAsync($"error: {FirstLine(e.Message)}");
            return Failure;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("error: cancelled");
            return Failure;
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
