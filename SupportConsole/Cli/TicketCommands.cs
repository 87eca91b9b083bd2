using System.CommandLine;
using System.Text.Json;
using SupportConsole.Data;
using SupportConsole.Engine.Routing;
using SupportConsole.Hosting;
using SupportConsole.Operations;

namespace SupportConsole.Cli;

/// <summary><c>tickets import|replay</c>: load historical tickets, or push tickets through the real pipeline and measure it.</summary>
internal static class TicketCommands
{
    private static readonly JsonSerializerOptions IndentedJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Where the app's state lives for this command (default: SUPPORTCONSOLE_DATA_DIR, else ./var).</summary>
    private static Option<string?> DataDirectoryOption() =>
        new("--data-dir") { Description = "State folder (SQLite file); default SUPPORTCONSOLE_DATA_DIR, else ./var." };

    private static string[] HostArgs(string? dataDirectory) =>
        dataDirectory is null ? [] : [$"--{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.DataDirectory)}={Path.GetFullPath(dataDirectory)}"];

    public static Command Create(TextWriter output) => new("tickets", "Import historical tickets or replay tickets through the pipeline.")
    {
        Import(output),
        Replay(output),
    };

    private static Command Import(TextWriter output)
    {
        var input = new Option<string>("--input") { Description = "CSV with text,category (historical, labelled tickets).", Required = true };
        var channel = new Option<string>("--channel") { Description = "Channel to file them under.", DefaultValueFactory = _ => "import" };
        var dataDirectory = DataDirectoryOption();
        var command = new Command("import", "Store labelled historical tickets (training data); they are not routed.") { input, channel, dataDirectory };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(input);
            var rows = LabelledTicketCsv.Read(path, requireCategory: true);
            using var host = SupportConsoleApp.BuildWorkerHost(HostArgs(parse.GetValue(dataDirectory)));
            await host.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(cancellationToken);
            var imported = await HistoricalTickets.ImportAsync(host.Services, rows, parse.GetRequiredValue(channel), Path.GetFileName(path), cancellationToken);
            output.WriteLine(JsonSerializer.Serialize(new { rows = rows.Count, imported, skippedAsDuplicates = rows.Count - imported }, IndentedJson));
            return 0;
        });
        return command;
    }

    private static Command Replay(TextWriter output)
    {
        var input = new Option<string>("--input") { Description = "CSV with text and optionally category, customer_id, expected_band, expected_article.", Required = true };
        var customers = new Option<int?>("--customers") { Description = "Spread tickets over the first N customers (default: all; a customer_id column wins)." };
        var seed = new Option<int>("--seed") { Description = "Random seed for the customer assignment.", DefaultValueFactory = _ => 7 };
        var warmup = new Option<int>("--warmup")
        {
            Description = "Tickets pushed first (the input's rows again, under their own ids) and left out of every figure: JIT and caches.",
            DefaultValueFactory = _ => 0,
        };
        warmup.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or > 100_000) { r.AddError("--warmup must be between 0 and 100,000"); } });
        customers.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1)
            {
                r.AddError("--customers must be at least 1");
            }
        });
        var dataDirectory = DataDirectoryOption();
        var command = new Command("replay", "Push tickets through the real pipeline (ingest to decision stored) and print what happened as JSON.")
        {
            input, customers, seed, warmup, dataDirectory,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var rows = LabelledTicketCsv.Read(parse.GetRequiredValue(input), requireCategory: false);
            if (rows.Count == 0)
            {
                throw new DataFileException($"{parse.GetRequiredValue(input)}: no rows to replay");
            }

            using var host = SupportConsoleApp.BuildWorkerHost(HostArgs(parse.GetValue(dataDirectory)));
            await host.Services.InitializeSupportConsoleAsync(cancellationToken);
            var report = await TicketReplay.RunAsync(host.Services, rows, parse.GetValue(customers), parse.GetValue(seed), cancellationToken,
                parse.GetValue(warmup));
            output.WriteLine(JsonSerializer.Serialize(report, IndentedJson));
            return 0;
        });
        return command;
    }
}
