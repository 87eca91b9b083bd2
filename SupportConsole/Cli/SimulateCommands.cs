using System.CommandLine;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Accounting;
using SupportConsole.Data;
using SupportConsole.Engine.Routing;
using SupportConsole.Hosting;
using SupportConsole.Operations;

namespace SupportConsole.Cli;

/// <summary><c>simulate</c>, <c>reports rebuild</c> and <c>bench dashboards</c>: fill a database with realistic traffic, rebuild the rollups, time the dashboards.</summary>
internal static class SimulateCommands
{
    private static readonly JsonSerializerOptions IndentedJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Simulate(TextWriter output, TextWriter error)
    {
        var days = Option("--days", "Days of traffic, ending now.", 30, 1, 3_650);
        var tickets = Option("--tickets", "Tickets to send through the pipeline.", 2_000, 1, 2_000_000);
        var customers = Option("--customers", "Customers C0001..CN (missing ones are created); volume is Zipf-distributed.", 240, 1, 100_000);
        var seed = new Option<int>("--seed") { Description = "Seed of the plan (texts, customers, times, agents' behaviour).", DefaultValueFactory = _ => 1 };
        var workers = Option("--workers", "Tickets in flight.", 4, 1, 32);
        var minutes = new Option<double>("--max-minutes") { Description = "Stop after this long (partial run, exit 1).", DefaultValueFactory = _ => 180 };
        minutes.Validators.Add(r => { if (r.GetValueOrDefault<double>() is <= 0 or > 1440) { r.AddError("--max-minutes must be more than 0 and at most 1440"); } });
        var cloud = new Option<bool>("--simulated-cloud")
        {
            Description = "Start an OpenAI-compatible stand-in (model 'simulated-cloud', $3/$15 per million tokens) on 127.0.0.1 as the cloud model, and budgets for the heaviest customers.",
        };
        var texts = new Option<string>("--texts") { Description = "CSV with a text column.", DefaultValueFactory = _ => "data/banking77/test.csv" };
        var dataDirectory = DataDirectoryOption();
        var command = new Command("simulate", "Fill the database with realistic traffic through the real pipeline, and agents working the queues.")
        {
            days, tickets, customers, seed, workers, minutes, cloud, texts, dataDirectory,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new SimulationOptions(parse.GetValue(days), parse.GetValue(tickets), parse.GetValue(customers), parse.GetValue(seed),
                parse.GetValue(workers), TimeSpan.FromMinutes(parse.GetValue(minutes)), parse.GetValue(cloud));
            var report = await RunSimulationAsync(options, parse.GetRequiredValue(texts), parse.GetValue(dataDirectory), error, cancellationToken);
            output.WriteLine(JsonSerializer.Serialize(report, IndentedJson));
            if (report.StoppedEarly)
            {
                error.WriteLine($"error: stopped after {options.MaxDuration.TotalMinutes:0.#} minutes with {report.TicketsCreated + report.TicketsAlreadyThere:N0} of {report.TicketsPlanned:N0} tickets; run again to continue");
                return SupportConsoleCommandLine.Failure;
            }

            return 0;
        });
        return command;
    }

    public static Command Reports(TextWriter output) => new("reports", "Reporting maintenance.")
    {
        Rebuild(output),
    };

    public static Command BenchDashboards(TextWriter output, TextWriter error)
    {
        var tickets = Option("--tickets", "Tickets the benchmark database should hold (simulated when missing).", 100_000, 1, 2_000_000);
        var customers = Option("--customers", "Customers of the simulated traffic.", 1_000, 1, 100_000);
        var days = Option("--days", "Days of the simulated traffic.", 90, 1, 3_650);
        var runs = Option("--runs", "Warm runs per dashboard (the median is reported).", 7, 1, 100);
        var seed = new Option<int>("--seed") { Description = "Seed of the simulated traffic.", DefaultValueFactory = _ => 1 };
        var dataDirectory = new Option<string>("--data-dir")
        {
            Description = "State folder of the benchmark database; reused when it already holds the traffic.",
            DefaultValueFactory = _ => Path.Combine("var", "bench-dashboards"),
        };
        var command = new Command("dashboards", "Time the dashboards' queries on a simulated database (built or reused), cold and warm.")
        {
            tickets, customers, days, runs, seed, dataDirectory,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var directory = Path.GetFullPath(parse.GetRequiredValue(dataDirectory));
            var wanted = parse.GetValue(tickets);
            int have;
            using (var probe = SupportConsoleApp.BuildWorkerHost(HostArgs(directory)))
            {
                await probe.Services.InitializeSupportConsoleAsync(cancellationToken);
                await using var db = await probe.Services.GetRequiredService<IDbContextFactory<SupportConsoleDbContext>>().CreateDbContextAsync(cancellationToken);
                have = await db.Tickets.CountAsync(t => t.DecidedAt != null, cancellationToken);
            }

            if (have < wanted)
            {
                error.WriteLine($"bench: {directory} holds {have:N0} decided tickets; simulating {wanted:N0} (reused next time)");
                var simulation = await RunSimulationAsync(
                    new SimulationOptions(parse.GetValue(days), wanted, parse.GetValue(customers), parse.GetValue(seed), 4, TimeSpan.FromHours(6), SimulatedCloud: true),
                    "data/banking77/test.csv", directory, error, cancellationToken);
                error.WriteLine($"bench: simulated {simulation.TicketsCreated:N0} tickets in {simulation.Seconds:N0} s ({simulation.TicketsPerSecond} tickets/s)");
            }

            using var host = SupportConsoleApp.BuildWorkerHost(HostArgs(directory));
            await host.Services.InitializeSupportConsoleAsync(cancellationToken);
            var report = await DashboardBenchmark.RunAsync(host.Services, directory, parse.GetValue(runs), cancellationToken);
            output.WriteLine(JsonSerializer.Serialize(report, IndentedJson));
            return 0;
        });
        return command;
    }

    private static Command Rebuild(TextWriter output)
    {
        var dataDirectory = DataDirectoryOption();
        var command = new Command("rebuild", "Rebuild every reporting rollup from the tickets, decisions, drafts and receipts (one transaction).") { dataDirectory };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = SupportConsoleApp.BuildWorkerHost(HostArgs(parse.GetValue(dataDirectory)));
            await host.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(cancellationToken);
            var report = await host.Services.GetRequiredService<RollupRebuilder>().RebuildAsync("cli:reports-rebuild", cancellationToken: cancellationToken);
            output.WriteLine(JsonSerializer.Serialize(report, IndentedJson));
            return 0;
        });
        return command;
    }

    private static async Task<SimulationReport> RunSimulationAsync(SimulationOptions options, string textsPath, string? dataDirectory, TextWriter progress,
        CancellationToken cancellationToken)
    {
        var texts = LabelledTicketCsv.Read(textsPath, requireCategory: false).Select(r => r.Text).Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
        if (texts.Count == 0)
        {
            throw new DataFileException($"{textsPath}: no texts to send");
        }

        await using var cloud = options.SimulatedCloud ? await SimulatedCloudModel.StartAsync(cancellationToken) : null;
        var clock = new SimulatedClock();
        string[] args = [.. HostArgs(dataDirectory), .. cloud?.HostArguments() ?? []];
        using var host = SupportConsoleApp.BuildWorkerHost(args, builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(clock);
            builder.Services.AddSingleton<Tickets.TicketActions>();
        });
        await host.Services.InitializeSupportConsoleAsync(cancellationToken);
        return await TrafficSimulator.RunAsync(host.Services, clock, options, texts, progress, cancellationToken);
    }

    private static Option<int> Option(string name, string description, int defaultValue, int min, int max)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(r =>
        {
            int value;
            try
            {
                value = r.GetValueOrDefault<int>();
            }
            catch (InvalidOperationException)
            {
                // Not a number: the parser reports that itself.
                return;
            }

            if (value < min || value > max)
            {
                r.AddError($"{name} must be between {min:N0} and {max:N0}");
            }
        });
        return option;
    }

    private static Option<string?> DataDirectoryOption() =>
        new("--data-dir") { Description = "State folder (SQLite file); default SUPPORTCONSOLE_DATA_DIR, else ./var." };

    private static string[] HostArgs(string? dataDirectory) =>
        dataDirectory is null ? [] : [$"--{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.DataDirectory)}={Path.GetFullPath(dataDirectory)}"];
}
