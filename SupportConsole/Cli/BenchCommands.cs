using System.CommandLine;
using System.Text.Json;
using SupportConsole.Engine.Routing;
using SupportConsole.Operations;

namespace SupportConsole.Cli;

/// <summary><c>bench ingest</c>: sustained HTTP ingest against a real, fresh instance on 127.0.0.1.</summary>
internal static class BenchCommands
{
    private static readonly JsonSerializerOptions IndentedJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(TextWriter output, TextWriter error) => new("bench", "Benchmarks that need the whole app.")
    {
        Ingest(output),
        ClusterIngest(output),
        SimulateCommands.BenchDashboards(output, error),
    };

    private static Command ClusterIngest(TextWriter output)
    {
        var server = new Option<string>("--server") { Description = "PostgreSQL connection string of a server where a throw-away database may be created.", Required = true };
        var instances = new Option<int[]>("--instances") { Description = "Instance counts to measure, one run each (e.g. 1 2).", DefaultValueFactory = _ => [1, 2], AllowMultipleArgumentsPerToken = true };
        var input = new Option<string>("--input") { Description = "CSV with a text column to send.", DefaultValueFactory = _ => "data/banking77/test.csv" };
        var tickets = new Option<int>("--tickets") { Description = "Tickets to send per run.", DefaultValueFactory = _ => 5000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight.", DefaultValueFactory = _ => 16 };
        var seconds = new Option<double>("--max-seconds") { Description = "Stop sending after this long.", DefaultValueFactory = _ => 120 };
        instances.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int[]>() is not { Length: > 0 } counts || counts.Any(c => c is < 1 or > 8))
            {
                r.AddError("--instances takes counts between 1 and 8");
            }
        });
        tickets.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 1_000_000) { r.AddError("--tickets must be between 1 and 1,000,000"); } });
        concurrency.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 1024) { r.AddError("--concurrency must be between 1 and 1024"); } });
        var command = new Command("cluster-ingest",
            "On a fresh PostgreSQL database, start N console instances on 127.0.0.1, POST tickets round-robin, then count the stored rows.")
        {
            server, instances, input, tickets, concurrency, seconds,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var texts = LabelledTicketCsv.Read(parse.GetRequiredValue(input), requireCategory: false).Select(r => r.Text).ToList();
            if (texts.Count == 0)
            {
                throw new DataFileException($"{parse.GetRequiredValue(input)}: no rows to send");
            }

            var reports = new List<ClusterIngestReport>();
            foreach (var count in parse.GetRequiredValue(instances))
            {
                reports.Add(await ClusterIngestBenchmark.RunAsync(parse.GetRequiredValue(server), count, texts, parse.GetValue(tickets),
                    parse.GetValue(concurrency), TimeSpan.FromSeconds(parse.GetValue(seconds)), cancellationToken));
            }

            output.WriteLine(JsonSerializer.Serialize(reports, IndentedJson));
            return reports.All(r => r.Lost == 0) ? 0 : 1;
        });
        return command;
    }

    private static Command Ingest(TextWriter output)
    {
        var input = new Option<string>("--input") { Description = "CSV with a text column to send.", DefaultValueFactory = _ => "data/banking77/test.csv" };
        var tickets = new Option<int>("--tickets") { Description = "Tickets to send.", DefaultValueFactory = _ => 5000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight.", DefaultValueFactory = _ => 16 };
        var warmup = new Option<int>("--warmup") { Description = "Tickets sent first and not counted (JIT, pools, caches).", DefaultValueFactory = _ => 1000 };
        var seconds = new Option<double>("--max-seconds") { Description = "Stop sending after this long.", DefaultValueFactory = _ => 120 };
        tickets.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 1_000_000) { r.AddError("--tickets must be between 1 and 1,000,000"); } });
        concurrency.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 1024) { r.AddError("--concurrency must be between 1 and 1024"); } });
        warmup.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or > 1_000_000) { r.AddError("--warmup must be between 0 and 1,000,000"); } });
        seconds.Validators.Add(r => { if (r.GetValueOrDefault<double>() <= 0) { r.AddError("--max-seconds must be positive"); } });
        var command = new Command("ingest",
            "Start a fresh instance (temporary SQLite file) on 127.0.0.1, POST tickets to it concurrently, then count the stored rows.")
        {
            input, tickets, concurrency, warmup, seconds,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var texts = LabelledTicketCsv.Read(parse.GetRequiredValue(input), requireCategory: false).Select(r => r.Text).ToList();
            if (texts.Count == 0)
            {
                throw new DataFileException($"{parse.GetRequiredValue(input)}: no rows to send");
            }

            var report = await IngestBenchmark.RunAsync(texts, parse.GetValue(tickets), parse.GetValue(concurrency), parse.GetValue(warmup),
                TimeSpan.FromSeconds(parse.GetValue(seconds)), cancellationToken);
            output.WriteLine(JsonSerializer.Serialize(report, IndentedJson));
            return report.Lost == 0 ? 0 : 1;
        });
        return command;
    }
}
