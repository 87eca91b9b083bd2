using System.CommandLine;
using System.Text.Json;
using SupportConsole.Engine.Routing;
using SupportConsole.Engine.Routing.Benchmarking;
using SupportConsole.Engine.Routing.Calibration;
using SupportConsole.Engine.Routing.Training;

namespace SupportConsole.Cli;

/// <summary><c>router train|eval|predict|bench|open-set</c>: train, measure and use the intent router from the shell.</summary>
internal static class RouterCommands
{
    private static readonly JsonSerializerOptions CompactJson = new(JsonSerializerDefaults.Web);
    private static readonly JsonSerializerOptions IndentedJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(TextWriter output) => new("router", "Train, evaluate, run and benchmark the intent router.")
    {
        Train(output),
        Evaluate(output),
        Predict(output),
        Bench(output),
        OpenSet(output),
    };

    private static Command Train(TextWriter output)
    {
        var train = new Option<string>("--train") { Description = "Labelled CSV (text,category) to train on.", Required = true };
        var outDir = new Option<string>("--out") { Description = "Folder for router.onnx and router.json.", Required = true };
        var target = TargetPrecisionOption();
        var seed = SeedOption();
        var command = new Command("train", "Train a router and write router.onnx with its card router.json.") { train, outDir, target, seed };
        command.SetAction((parse, cancellationToken) =>
        {
            var examples = LabelledTicketCsv.Read(parse.GetRequiredValue(train), requireCategory: true);
            var settings = TrainingSettings(parse.GetValue(target), parse.GetValue(seed));
            var router = new RouterTrainer(settings, new Progress(output)).Train(examples, Path.GetFileName(parse.GetRequiredValue(train)), cancellationToken);
            router.WriteTo(parse.GetRequiredValue(outDir));
            output.WriteLine($"wrote {Path.Combine(parse.GetRequiredValue(outDir), RouterModelCard.OnnxFileName)} ({router.Card.VersionId})");
            output.WriteLine(JsonSerializer.Serialize(router.Card.Validation, IndentedJson));
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command Evaluate(TextWriter output)
    {
        var model = ModelOption();
        var test = new Option<string>("--test") { Description = "Labelled CSV (text,category) to score.", Required = true };
        var command = new Command("eval", "Score a router on a labelled test set; prints one JSON object.") { model, test };
        command.SetAction((parse, _) =>
        {
            using var router = OnnxIntentRouter.Load(parse.GetRequiredValue(model));
            var path = parse.GetRequiredValue(test);
            var evaluation = RouterEvaluator.Evaluate(router, LabelledTicketCsv.Read(path, requireCategory: true), path);
            output.WriteLine(JsonSerializer.Serialize(evaluation, IndentedJson));
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command Predict(TextWriter output)
    {
        var model = ModelOption();
        var input = new Option<string>("--input") { Description = "CSV with a text column.", Required = true };
        var outFile = new Option<string>("--out") { Description = "JSON-lines file to write, one line per input row.", Required = true };
        var command = new Command("predict", "Route every row of a CSV and write one JSON line per row, in input order.") { model, input, outFile };
        command.SetAction((parse, _) =>
        {
            using var router = OnnxIntentRouter.Load(parse.GetRequiredValue(model));
            var rows = LabelledTicketCsv.Read(parse.GetRequiredValue(input), requireCategory: false);
            var path = parse.GetRequiredValue(outFile);
            var temporary = path + ".tmp";
            using (var writer = new StreamWriter(temporary))
            {
                foreach (var batch in rows.Chunk(256))
                {
                    var predictions = router.Route(batch.Select(r => r.Text).ToList());
                    for (var i = 0; i < batch.Length; i++)
                    {
                        var p = predictions[i];
                        writer.WriteLine(JsonSerializer.Serialize(
                            new { text = batch[i].Text, intent = p.Intent, confidence = p.Confidence, certified = p.Certified, top = p.Top },
                            CompactJson));
                    }
                }
            }

            File.Move(temporary, path, overwrite: true);
            output.WriteLine($"wrote {rows.Count} predictions to {path}");
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command Bench(TextWriter output)
    {
        var model = ModelOption();
        var input = new Option<string>("--input") { Description = "CSV with a text column (the tickets to route).", Required = true };
        var skipSynthetic = new Option<bool>("--no-synthetic") { Description = "Skip the 500-intent / 200,000-feature comparison model." };
        var tickets = new Option<int>("--tickets")
        {
            Description = "Single-ticket calls to time (after warm-up).",
            DefaultValueFactory = _ => new RouterBenchmarkSettings().SingleTickets,
        };
        var seconds = new Option<double>("--max-seconds")
        {
            Description = "Time limit of each measuring phase.",
            DefaultValueFactory = _ => new RouterBenchmarkSettings().SingleTimeLimit.TotalSeconds,
        };
        tickets.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) { r.AddError("--tickets must be at least 1"); } });
        seconds.Validators.Add(r => { if (r.GetValueOrDefault<double>() <= 0) { r.AddError("--max-seconds must be positive"); } });
        var command = new Command("bench", "Measure single-ticket latency and batch throughput; prints JSON.")
        {
            model, input, skipSynthetic, tickets, seconds,
        };
        command.SetAction((parse, _) =>
        {
            var texts = LabelledTicketCsv.Read(parse.GetRequiredValue(input), requireCategory: false).Select(r => r.Text).ToList();
            if (texts.Count == 0)
            {
                throw new DataFileException($"{parse.GetRequiredValue(input)}: no rows to benchmark");
            }

            var limit = TimeSpan.FromSeconds(parse.GetValue(seconds));
            var settings = new RouterBenchmarkSettings
            {
                SingleTickets = parse.GetValue(tickets),
                WarmupTickets = Math.Min(500, parse.GetValue(tickets)),
                SingleTimeLimit = limit,
                BatchTimeLimit = limit,
            };
            RouterBenchmarkResult measured;
            using (var router = OnnxIntentRouter.Load(parse.GetRequiredValue(model)))
            {
                measured = RouterBenchmark.Run(router, texts, settings);
            }

            if (parse.GetValue(skipSynthetic))
            {
                output.WriteLine(JsonSerializer.Serialize(new { model = measured }, IndentedJson));
                return Task.FromResult(0);
            }

            var folder = Path.Combine(Path.GetTempPath(), $"supportconsole-synthetic-{Environment.ProcessId}");
            try
            {
                SyntheticRouter.Write(folder, texts, SyntheticRouter.DefaultIntents, SyntheticRouter.DefaultFeatures, seed: 1);
                using var large = OnnxIntentRouter.Load(folder);
                var largeResult = RouterBenchmark.Run(large, texts, settings);
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    model = measured,
                    synthetic = largeResult,
                    syntheticP50Ratio = Math.Round(largeResult.P50Microseconds / measured.P50Microseconds, 2),
                }, IndentedJson));
            }
            finally
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }

            return Task.FromResult(0);
        });
        return command;
    }

    private static Command OpenSet(TextWriter output)
    {
        var train = new Option<string>("--train") { Description = "Labelled CSV to train on.", Required = true };
        var test = new Option<string>("--test") { Description = "Labelled CSV to score.", Required = true };
        var leaveOut = new Option<int>("--leave-out") { Description = "Intents left out of training entirely.", DefaultValueFactory = _ => 10 };
        var target = TargetPrecisionOption();
        var seed = SeedOption();
        var command = new Command("open-set",
            "Train without some intents and report how often their tickets get certified (they should not be).")
        {
            train, test, leaveOut, target, seed,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var trainRows = LabelledTicketCsv.Read(parse.GetRequiredValue(train), requireCategory: true);
            var testRows = LabelledTicketCsv.Read(parse.GetRequiredValue(test), requireCategory: true);
            var settings = TrainingSettings(parse.GetValue(target), parse.GetValue(seed));
            var result = OpenSetEvaluation.Run(trainRows, testRows, parse.GetValue(leaveOut), settings, new Progress(output), cancellationToken);
            output.WriteLine(JsonSerializer.Serialize(result, IndentedJson));
            return Task.FromResult(0);
        });
        return command;
    }

    private static RouterTrainingSettings TrainingSettings(double targetPrecision, int seed) => new()
    {
        Seed = seed,
        Certification = new CertificationSettings { TargetPrecision = targetPrecision },
    };

    private static Option<string> ModelOption() =>
        new("--model") { Description = "Folder holding router.onnx and router.json.", Required = true };

    private static Option<double> TargetPrecisionOption()
    {
        var option = new Option<double>("--target-precision")
        {
            Description = "Precision that certified predictions must reach (between 0 and 1).",
            DefaultValueFactory = _ => 0.98,
        };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is <= 0 or >= 1)
            {
                r.AddError("--target-precision must be between 0 and 1");
            }
        });
        return option;
    }

    private static Option<int> SeedOption() => new("--seed") { Description = "Random seed (training is deterministic given it).", DefaultValueFactory = _ => 13 };

    private sealed class Progress(TextWriter output) : IProgress<string>
    {
        public void Report(string value) => output.WriteLine(value);
    }
}
