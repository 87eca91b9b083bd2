using System.CommandLine;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using SupportConsole.Operations.Privacy;

namespace SupportConsole.Cli;

/// <summary><c>privacy audit</c>: proves on this installation that nothing leaves the machine.</summary>
internal static class PrivacyCommands
{
    private static readonly JsonSerializerOptions IndentedJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static Command Create(TextWriter output, TextWriter error) => new("privacy", "Check what the console sends and to whom.")
    {
        Audit(output, error),
    };

    private static Command Audit(TextWriter output, TextWriter error)
    {
        var tickets = new Option<int>("--tickets") { Description = "Tickets to send through the API while observing.", DefaultValueFactory = _ => 500 };
        var allow = new Option<string[]>("--allow")
        {
            Description = "ADDRESS[:PORT] of a service an admin configured (a cloud model, a webhook receiver); repeatable.",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [],
        };
        var json = new Option<bool>("--json") { Description = "Print the whole report as JSON." };
        tickets.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 100_000) { r.AddError("--tickets must be between 1 and 100,000"); } });
        allow.Validators.Add(r =>
        {
            foreach (var value in r.GetValueOrDefault<string[]>() ?? [])
            {
                if (!TryEndpoint(value, out _))
                {
                    r.AddError($"--allow takes an IP address with an optional port (found '{value}')");
                }
            }
        });
        var command = new Command("audit",
            "Start a throw-away console (this build and its settings, SQLite and a home folder in a temporary folder) under strace, send it " +
            "tickets, fetch every page as every role, wait for a background job, run router predict, and report every connection attempt " +
            "and any telemetry file. Exit code 0 when nothing left the machine.")
        {
            tickets, allow, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var allowed = (parse.GetValue(allow) ?? []).Select(a => TryEndpoint(a, out var endpoint) ? endpoint : throw new ArgumentException(a)).ToList();
            var report = await PrivacyAudit.RunAsync(
                new PrivacyAuditOptions(parse.GetValue(tickets), allowed, TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(3)), error, cancellationToken);
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(report, IndentedJson));
            }
            else
            {
                Print(report, output);
            }

            return report.Passed ? 0 : 1;
        });
        return command;
    }

    private static void Print(PrivacyAuditReport report, TextWriter output)
    {
        var byRole = report.Pages.GroupBy(p => p.Role).Select(g => $"{g.Key} {g.Count()}");
        output.WriteLine($"observed: the console (start-up, {report.TicketsSent} tickets sent, {report.TicketsAccepted} accepted; pages fetched: " +
                         $"{string.Join(", ", byRole)}, {report.Pages.Count(p => p.Status >= 500)} server errors; jobs succeeded: " +
                         $"{(report.JobsSucceeded.Count == 0 ? "none" : string.Join(", ", report.JobsSucceeded.Distinct()))}; shut down) " +
                         $"and router predict (exit {report.RouterPredictExitCode})");
        output.WriteLine($"observer check: {report.WebhookDeliveries} auto replies reached the audit's webhook on 127.0.0.1, " +
                         $"{report.WebhookAttemptsSeen} connections to it in the trace ({(report.ObserverWorked ? "the observer sees the console's sockets" : "FAILED: the trace cannot be trusted")})");
        output.WriteLine($"connection attempts: {report.ConnectionAttempts} " +
                         $"({string.Join(", ", report.ByKind.Select(k => $"{k.Key.ToString().ToLowerInvariant()} {k.Value}"))})");
        foreach (var destination in report.Destinations.Take(10))
        {
            output.WriteLine($"  {destination.Attempts,7}  {destination.Kind,-10}  {destination.Destination}");
        }

        output.WriteLine($"name lookups (DNS): {report.ByKind.GetValueOrDefault(ConnectionKind.NameLookup)}");
        output.WriteLine($"attempts that left the machine: {report.ByKind.GetValueOrDefault(ConnectionKind.NameLookup) + report.ByKind.GetValueOrDefault(ConnectionKind.External)}");
        foreach (var line in report.LeftTheMachine.Take(10))
        {
            output.WriteLine($"  {line}");
        }

        output.WriteLine($"telemetry files under the home folder (.cache/Microsoft): {(report.TelemetryFiles.Count == 0 ? "none" : string.Join(", ", report.TelemetryFiles))}");
        output.WriteLine($"files written to the home folder: {(report.FilesWrittenToHome.Count == 0 ? "none" : string.Join(", ", report.FilesWrittenToHome))}");
        output.WriteLine(report.Passed ? "result: passed, nothing left the machine" : "result: FAILED");
    }

    private static bool TryEndpoint(string value, out IPEndPoint endpoint)
    {
        if (IPEndPoint.TryParse(value, out var parsed))
        {
            endpoint = parsed;
            return true;
        }

        endpoint = new IPEndPoint(IPAddress.None, 0);
        return false;
    }
}
