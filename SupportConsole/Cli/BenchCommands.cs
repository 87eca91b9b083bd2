using System.CommandLine;
using System.Text.Json;
using SupportConsole.Engine.Routing;
using SupportConsole.Operations;

namespace SupportConsole.Cli;

/// <summary><c>bench ingest</c>, <c>bench email</c>, <c>bench jobs</c>, <c>bench soak</c>: a real, fresh instance on 127.0.0.1 under load.</summary>
internal static class BenchCommands
{
    private static readonly JsonSerializerOptions IndentedJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(TextWriter output, TextWriter error) => new("bench", "Benchmarks that need the whole app.")
    {
        Ingest(output),
        Email(output),
        Jobs(output),
        Soak(output),
        CompareDatabases(output),
        SimulateCommands.BenchDashboards(output, error),
    };

    private static Command CompareDatabases(TextWriter output)
    {
        var server = new Option<string>("--server") { Description = "PostgreSQL connection string of a server where a throw-away database may be created (scripts/test-postgres.sh start DIR prints one).", Required = true };
        var instances = new Option<int[]>("--instances") { Description = "PostgreSQL instance counts to measure, one run each (e.g. 1 2).", DefaultValueFactory = _ => [1, 2], AllowMultipleArgumentsPerToken = true };
        var noSqlite = new Option<bool>("--no-sqlite") { Description = "Leave out the SQLite run." };
        var input = new Option<string>("--input") { Description = "CSV with a text column to send.", DefaultValueFactory = _ => "data/banking77/test.csv" };
        var tickets = new Option<int>("--tickets") { Description = "Tickets to send per run.", DefaultValueFactory = _ => 4000 };
        var warmup = new Option<int>("--warmup") { Description = "Tickets sent first in each run and not counted (JIT, pools, caches).", DefaultValueFactory = _ => 1000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight.", DefaultValueFactory = _ => 32 };
        var seconds = new Option<double>("--max-seconds") { Description = "Stop sending after this long (per run and phase).", DefaultValueFactory = _ => 300 };
        var json = new Option<bool>("--json") { Description = "Print the runs as JSON instead of a table." };
        instances.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int[]>() is not { } counts || counts.Any(c => c is < 1 or > 8))
            {
                r.AddError("--instances takes counts between 1 and 8");
            }
        });
        tickets.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 1_000_000) { r.AddError("--tickets must be between 1 and 1,000,000"); } });
        warmup.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or > 1_000_000) { r.AddError("--warmup must be between 0 and 1,000,000"); } });
        concurrency.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 1024) { r.AddError("--concurrency must be between 1 and 1024"); } });
        seconds.Validators.Add(r => { if (r.GetValueOrDefault<double>() <= 0) { r.AddError("--max-seconds must be positive"); } });
        var command = new Command("compare-databases",
            "The same ingest load on SQLite (one instance) and on a fresh PostgreSQL database with N instances, each instance its own process on 127.0.0.1: one table of tickets/s, latency, CPU per ticket (app and PostgreSQL), statements per ticket and rows lost.")
        {
            server, instances, noSqlite, input, tickets, warmup, concurrency, seconds, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var texts = LabelledTicketCsv.Read(parse.GetRequiredValue(input), requireCategory: false).Select(r => r.Text).ToList();
            if (texts.Count == 0)
            {
                throw new DataFileException($"{parse.GetRequiredValue(input)}: no rows to send");
            }

            var runs = await DatabaseComparison.RunAsync(parse.GetRequiredValue(server), !parse.GetValue(noSqlite), parse.GetRequiredValue(instances),
                texts, parse.GetValue(tickets), parse.GetValue(warmup), parse.GetValue(concurrency), TimeSpan.FromSeconds(parse.GetValue(seconds)),
                cancellationToken);
            output.Write(parse.GetValue(json) ? JsonSerializer.Serialize(runs, IndentedJson) + Environment.NewLine : DatabaseComparison.Table(runs));
            return runs.All(r => r.Lost == 0 && r.Failed == 0) ? 0 : 1;
        });
        return command;
    }

    private static Command Jobs(TextWriter output)
    {
        var idle = new Option<int>("--idle-jobs") { Description = "Jobs enqueued one at a time on an idle server.", DefaultValueFactory = _ => 100 };
        var jobs = new Option<int>("--jobs") { Description = "Jobs enqueued at once (the burst).", DefaultValueFactory = _ => 500 };
        var workers = new Option<int>("--workers") { Description = "Hangfire workers.", DefaultValueFactory = _ => 2 };
        var seconds = new Option<double>("--max-seconds") { Description = "Give up after this long.", DefaultValueFactory = _ => 300 };
        idle.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 10_000) { r.AddError("--idle-jobs must be between 1 and 10,000"); } });
        jobs.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 100_000) { r.AddError("--jobs must be between 1 and 100,000"); } });
        workers.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 64) { r.AddError("--workers must be between 1 and 64"); } });
        seconds.Validators.Add(r => { if (r.GetValueOrDefault<double>() <= 0) { r.AddError("--max-seconds must be positive"); } });
        var command = new Command("jobs",
            "Start a fresh instance (temporary SQLite files) and time its job server: enqueue-to-start latency p50/p95 one job at a time and in a burst, and jobs per second.")
        {
            idle, jobs, workers, seconds,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var report = await JobBenchmark.RunAsync(parse.GetValue(idle), parse.GetValue(jobs), parse.GetValue(workers),
                TimeSpan.FromSeconds(parse.GetValue(seconds)), cancellationToken);
            output.WriteLine(JsonSerializer.Serialize(report, IndentedJson));
            return report.ExecutedMoreThanOnce == 0 && report.NeverExecuted == 0 ? 0 : 1;
        });
        return command;
    }

    private static Command Soak(TextWriter output)
    {
        var input = new Option<string>("--input") { Description = "CSV with a text column to send.", DefaultValueFactory = _ => "data/banking77/test.csv" };
        var minutes = new Option<double>("--minutes") { Description = "How long the load runs.", DefaultValueFactory = _ => 10 };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight.", DefaultValueFactory = _ => 32 };
        minutes.Validators.Add(r => { if (r.GetValueOrDefault<double>() is <= 0 or > 24 * 60) { r.AddError("--minutes must be between 0 and 1440"); } });
        concurrency.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 1024) { r.AddError("--concurrency must be between 1 and 1024"); } });
        var command = new Command("soak",
            "Start a fresh instance (temporary SQLite files), ingest at full speed with replies going out through the outbox and a probe job every second, "
            + "and report lost tickets, failed jobs, DistributedLockTimeoutException and 'database is locked' in the log. Exits 1 if anything was found.")
        {
            input, minutes, concurrency,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var texts = LabelledTicketCsv.Read(parse.GetRequiredValue(input), requireCategory: false).Select(r => r.Text).ToList();
            if (texts.Count == 0)
            {
                throw new DataFileException($"{parse.GetRequiredValue(input)}: no rows to send");
            }

            var report = await JobSoak.RunAsync(texts, TimeSpan.FromMinutes(parse.GetValue(minutes)), parse.GetValue(concurrency), cancellationToken);
            output.WriteLine(JsonSerializer.Serialize(report, IndentedJson));
            return report.Clean ? 0 : 1;
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

    private static Command Email(TextWriter output)
    {
        var input = new Option<string>("--input") { Description = "CSV with a text column: the messages' bodies.", DefaultValueFactory = _ => "data/banking77/test.csv" };
        var messages = new Option<int>("--messages") { Description = "Messages to append to the inbox and measure.", DefaultValueFactory = _ => 1000 };
        var warmup = new Option<int>("--warmup") { Description = "Messages appended and waited for first, not counted.", DefaultValueFactory = _ => 50 };
        var latency = new Option<int>("--latency-messages") { Description = "Messages sent one at a time after the burst, each waited for (the latency phase).", DefaultValueFactory = _ => 100 };
        latency.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or > 10_000) { r.AddError("--latency-messages must be between 0 and 10,000"); } });
        var seconds = new Option<double>("--max-seconds") { Description = "Stop appending, and waiting, after this long.", DefaultValueFactory = _ => 300 };
        var script = new Option<string>("--mail-script") { Description = "The script that starts the throw-away Dovecot and aiosmtpd.", DefaultValueFactory = _ => "scripts/test-mail.sh" };
        messages.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 100_000) { r.AddError("--messages must be between 1 and 100,000"); } });
        warmup.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or > 10_000) { r.AddError("--warmup must be between 0 and 10,000"); } });
        seconds.Validators.Add(r => { if (r.GetValueOrDefault<double>() <= 0) { r.AddError("--max-seconds must be positive"); } });
        var command = new Command("email",
            "Start a throw-away Dovecot and aiosmtpd on 127.0.0.1 and a fresh instance reading the mailbox; append messages to the inbox and print messages per second from mailbox to decision and the mailbox-to-reply latency.")
        {
            input, messages, warmup, latency, seconds, script,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var texts = LabelledTicketCsv.Read(parse.GetRequiredValue(input), requireCategory: false).Select(r => r.Text).ToList();
            if (texts.Count == 0)
            {
                throw new DataFileException($"{parse.GetRequiredValue(input)}: no rows to send");
            }

            var report = await EmailBenchmark.RunAsync(texts, parse.GetValue(messages), parse.GetValue(warmup), parse.GetValue(latency),
                TimeSpan.FromSeconds(parse.GetValue(seconds)), parse.GetRequiredValue(script), cancellationToken);
            output.WriteLine(JsonSerializer.Serialize(report, IndentedJson));
            return report.Lost == 0 ? 0 : 1;
        });
        return command;
    }
}
