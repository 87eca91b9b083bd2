using System.CommandLine;
using System.Text.Json;
using SupportConsole.Data;
using SupportConsole.Evaluation;
using SupportConsole.Hosting;

namespace SupportConsole.Cli;

/// <summary><c>eval golden</c>: the nightly golden-set evaluation, run now, its figures printed as JSON.</summary>
internal static class EvaluationCommands
{
    private static readonly JsonSerializerOptions IndentedJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(TextWriter output) => new("eval", "Evaluate the engine as configured.") { Golden(output) };

    private static Command Golden(TextWriter output)
    {
        var dataDirectory = new Option<string?>("--data-dir") { Description = "State folder (SQLite file); default SUPPORTCONSOLE_DATA_DIR, else ./var." };
        var golden = new Option<string?>("--golden") { Description = "Golden-set CSV (default: the demo tenant's data/tenant/golden-set.csv)." };
        var store = new Option<bool>("--store") { Description = "Keep the run (it then shows on the Evaluations page and may raise an alert)." };
        var command = new Command("golden",
            "Replay the golden set through the engine (active router, help-center index, bands) with nothing sent or queued; print the metrics as JSON.")
        {
            dataDirectory, golden, store,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var args = new List<string>();
            if (parse.GetValue(dataDirectory) is { } directory)
            {
                args.Add($"--{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.DataDirectory)}={Path.GetFullPath(directory)}");
            }

            if (parse.GetValue(golden) is { } path)
            {
                args.Add($"--{EvaluationOptions.SectionName}:{nameof(EvaluationOptions.GoldenSetPath)}={Path.GetFullPath(path)}");
            }

            using var host = SupportConsoleApp.BuildWorkerHost([.. args]);
            await host.Services.InitializeSupportConsoleAsync(cancellationToken);
            if (parse.GetValue(store))
            {
                var run = await host.Services.GetRequiredService<EvaluationRecorder>().RunAsync("cli", null, null, cancellationToken);
                output.WriteLine(JsonSerializer.Serialize(new { stored = run.Id, run.AlertRaised, run.AlertReason }, IndentedJson));
            }

            var (report, context) = await host.Services.GetRequiredService<GoldenSetEvaluator>().EvaluateAsync(null, null, cancellationToken);
            output.WriteLine(JsonSerializer.Serialize(new
            {
                tickets = report.Tickets,
                routerVersion = context.RouterVersion,
                knowledgeIndexVersion = context.KnowledgeIndexVersion,
                policyVersion = context.PolicyVersion,
                targetPrecision = context.TargetPrecision,
                routerAccuracy = Math.Round(report.RouterAccuracy, 4),
                macroF1 = Math.Round(report.MacroF1, 4),
                certifiedShare = Math.Round(report.CertifiedShare, 4),
                certifiedPrecision = report.CertifiedPrecision is { } p ? Math.Round(p, 4) : (double?)null,
                expectedAuto = report.ExpectedAuto,
                autoReplies = report.AutoReplies,
                badAutoReplies = report.BadAutoReplies,
                autoResolvedShare = Math.Round(report.AutoResolvedShare, 4),
                badAnswerRate = Math.Round(report.BadAnswerRate, 4),
                meanGroundedness = report.MeanGroundedness is { } g ? Math.Round(g, 4) : (double?)null,
                minGroundedness = report.MinGroundedness is { } m ? Math.Round(m, 4) : (double?)null,
                retrievalRecallAt3 = Math.Round(report.RetrievalRecallAt3, 4),
                latencyMs = report.Latency,
                stageLatencyMs = report.StageLatency,
            }, IndentedJson));
            return 0;
        });
        return command;
    }
}
