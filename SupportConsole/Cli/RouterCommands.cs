using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupportConsole.Engine.Encoders;
using SupportConsole.Engine.Routing;
using SupportConsole.Engine.Routing.Benchmarking;
using SupportConsole.Engine.Routing.Calibration;
using SupportConsole.Engine.Routing.Cascade;
using SupportConsole.Engine.Routing.Training;
using SupportConsole.Routing;

namespace SupportConsole.Cli;

/// <summary><c>router train|eval|predict|bench|open-set|build-shipped</c>: train, measure and use the intent router from the shell.</summary>
internal static class RouterCommands
{
    /// <summary>The foreign-text evaluation set <c>router eval</c> scores when it is there and no other is named.</summary>
    public const string DefaultForeignText = "data/foreign/foreign-text.csv";

    private static readonly JsonSerializerOptions CompactJson = new(JsonSerializerDefaults.Web);
    private static readonly JsonSerializerOptions IndentedJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(TextWriter output) => new("router", "Train, evaluate, run and benchmark the intent router.")
    {
        Train(output),
        Evaluate(output),
        Predict(output),
        Bench(output),
        OpenSet(output),
        BuildShipped(output),
    };

    private static Command Train(TextWriter output)
    {
        var train = new Option<string>("--train") { Description = "Labelled CSV (text,category) to train on.", Required = true };
        var outDir = new Option<string>("--out") { Description = "Folder for router.onnx, cascade.bin and router.json.", Required = true };
        var target = TargetPrecisionOption();
        var seed = SeedOption();
        var stageOneOnly = StageOneOnlyOption();
        var cache = CacheOption();
        var command = new Command("train", "Train a router (both stages; --stage-one-only for the n-gram router alone) and write it with its card router.json.")
        {
            train, outDir, target, seed, stageOneOnly, cache,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var examples = LabelledTicketCsv.Read(parse.GetRequiredValue(train), requireCategory: true);
            var settings = TrainingSettings(parse.GetValue(target), parse.GetValue(seed));
            var source = Path.GetFileName(parse.GetRequiredValue(train));
            var progress = new Progress(output);
            RouterModelCard card;
            if (parse.GetValue(stageOneOnly))
            {
                var router = new RouterTrainer(settings, progress).Train(examples, source, cancellationToken);
                router.WriteTo(parse.GetRequiredValue(outDir));
                card = router.Card;
            }
            else
            {
                using var encoder = LoadEncoder();
                var trained = new CascadeTrainer(new CascadeTrainingSettings { StageOne = settings }, progress)
                    .Train(examples, source, encoder, OpenCache(parse.GetValue(cache), encoder), cancellationToken);
                trained.WriteTo(parse.GetRequiredValue(outDir));
                card = trained.Card;
            }

            output.WriteLine($"wrote {parse.GetRequiredValue(outDir)} ({card.VersionId})");
            output.WriteLine(JsonSerializer.Serialize(card.Cascade?.Validation ?? card.Validation, IndentedJson));
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command Evaluate(TextWriter output)
    {
        var model = ModelOption();
        var test = new Option<string>("--test") { Description = "Labelled CSV (text,category) to score.", Required = true };
        var foreign = new Option<string?>("--foreign")
        {
            Description = $"CSV of texts that belong to no intent (column text, optional kind); default {DefaultForeignText} when it exists.",
        };
        var command = new Command("eval", "Score a router on a labelled test set and a foreign-text set; prints one JSON object.") { model, test, foreign };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var encoder = new LazyEncoder();
            var router = RouterLoader.Load(await ModelFolderAsync(parse.GetRequiredValue(model), cancellationToken), encoder.Get);
            try
            {
                var path = parse.GetRequiredValue(test);
                var evaluation = RouterEvaluator.Evaluate(router, LabelledTicketCsv.Read(path, requireCategory: true), path);
                var result = JsonSerializer.SerializeToNode(evaluation, IndentedJson)!.AsObject();
                var card = router.Card;
                var heldOut = card.Cascade?.Validation ?? card.Validation;
                var rule = card.Cascade?.Certification ?? card.Certification;
                result["openSet"] = new JsonObject
                {
                    ["source"] = "held-out rows whose intent was left out of their fold's training (open-set folds)",
                    ["rows"] = rule.OpenSetSamples,
                    ["certified"] = rule.OpenSetCertified,
                    ["certifiedRate"] = heldOut.OpenSetCertifiedRate,
                    ["heldOutCertifiedCoverage"] = heldOut.CertifiedCoverage,
                    ["heldOutCertifiedPrecision"] = heldOut.CertifiedPrecision,
                    ["precisionLowerBound"] = rule.PrecisionLowerBound,
                };
                var foreignPath = parse.GetValue(foreign) ?? (File.Exists(DefaultForeignText) ? DefaultForeignText : null);
                if (foreignPath is not null)
                {
                    var texts = LabelledTicketCsv.ReadTexts(foreignPath);
                    result["foreignText"] = JsonSerializer.SerializeToNode(ForeignTextEvaluation.Evaluate(router, texts, foreignPath), IndentedJson);
                }

                output.WriteLine(result.ToJsonString(IndentedJson));
            }
            finally
            {
                (router as IDisposable)?.Dispose();
            }

            return 0;
        });
        return command;
    }

    private static Command Predict(TextWriter output)
    {
        var model = ModelOption();
        var input = new Option<string>("--input") { Description = "CSV with a text column.", Required = true };
        var outFile = new Option<string>("--out") { Description = "JSON-lines file to write, one line per input row.", Required = true };
        var command = new Command("predict", "Route every row of a CSV and write one JSON line per row, in input order.") { model, input, outFile };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var encoder = new LazyEncoder();
            var router = RouterLoader.Load(await ModelFolderAsync(parse.GetRequiredValue(model), cancellationToken), encoder.Get);
            using var disposeRouter = router as IDisposable;
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
                            new
                            {
                                text = batch[i].Text, intent = p.Intent, confidence = p.Confidence, certified = p.Certified, top = p.Top,
                                stage = p.Stage, outOfScope = p.OutOfScope, outOfScopeScore = p.OutOfScopeScore,
                            },
                            CompactJson));
                    }
                }
            }

            File.Move(temporary, path, overwrite: true);
            output.WriteLine($"wrote {rows.Count} predictions to {path}");
            return 0;
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
        command.SetAction(async (parse, cancellationToken) =>
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
            var modelFolder = await ModelFolderAsync(parse.GetRequiredValue(model), cancellationToken);
            RouterBenchmarkResult measured;
            using (var encoder = new LazyEncoder())
            {
                var router = RouterLoader.Load(modelFolder, encoder.Get);
                using var disposeRouter = router as IDisposable;
                measured = RouterBenchmark.Run(router, texts, settings);
            }

            if (parse.GetValue(skipSynthetic))
            {
                output.WriteLine(JsonSerializer.Serialize(new { model = measured }, IndentedJson));
                return 0;
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

            return 0;
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
        var stageOneOnly = StageOneOnlyOption();
        var cache = CacheOption();
        var command = new Command("open-set",
            "Train without some intents and report how often their tickets get certified (they should not be).")
        {
            train, test, leaveOut, target, seed, stageOneOnly, cache,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var trainRows = LabelledTicketCsv.Read(parse.GetRequiredValue(train), requireCategory: true);
            var testRows = LabelledTicketCsv.Read(parse.GetRequiredValue(test), requireCategory: true);
            var settings = TrainingSettings(parse.GetValue(target), parse.GetValue(seed));
            using var encoder = new LazyEncoder();
            Func<IReadOnlyList<LabelledText>, string, (IIntentRouter Router, string Directory)>? trainer = null;
            if (!parse.GetValue(stageOneOnly))
            {
                var cacheDirectory = parse.GetValue(cache);
                trainer = (rows, directory) =>
                {
                    var trained = new CascadeTrainer(new CascadeTrainingSettings { StageOne = settings }, new Progress(output))
                        .Train(rows, "open-set training split", encoder.Get(), OpenCache(cacheDirectory, encoder.Get()), cancellationToken);
                    trained.WriteTo(directory);
                    return (CascadeRouter.Load(directory, encoder.Get()), directory);
                };
            }

            var result = OpenSetEvaluation.Run(trainRows, testRows, parse.GetValue(leaveOut), settings, new Progress(output), cancellationToken, trainer);
            output.WriteLine(JsonSerializer.Serialize(result, IndentedJson));
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command BuildShipped(TextWriter output)
    {
        var command = new Command("build-shipped",
            "Build the shipped router from its committed card and training data into the model cache (what the first start does), and check it.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = ShippedRouterServices();
            var shipped = services.GetRequiredService<ShippedRouterBuilder>();
            var directory = await shipped.EnsureBuiltAsync(new Progress(output), cancellationToken);
            output.WriteLine($"router {shipped.CommittedCard().VersionId} is in {directory}");
            return 0;
        });
        return command;
    }

    private static ServiceProvider ShippedRouterServices()
    {
        var builder = WebApplication.CreateBuilder([]);
        builder.Services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.SectionName);
        builder.Services.AddOptions<Data.DatabaseOptions>().BindConfiguration(Data.DatabaseOptions.SectionName);
        builder.Services.AddSingleton<EncoderProvider>();
        builder.Services.AddSingleton<ShippedRouterBuilder>();
        builder.Logging.ClearProviders();
        return builder.Services.BuildServiceProvider();
    }

    /// <summary>
    /// The folder whose router a verb opens. A folder with the model files is used as it is; the shipped router's own
    /// folder (<c>models/router</c>, which holds only its card) means the shipped router in the model cache, built now
    /// if no process built it before (progress on stderr, so that stdout keeps the verb's output).
    /// </summary>
    private static async Task<string> ModelFolderAsync(string given, CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(given, RouterModelCard.OnnxFileName)))
        {
            return given;
        }

        var cardPath = Path.Combine(given, RouterModelCard.CardFileName);
        if (!File.Exists(cardPath))
        {
            throw new RouterModelException($"router model card not found: {cardPath}");
        }

        await using var services = ShippedRouterServices();
        var shipped = services.GetRequiredService<ShippedRouterBuilder>();
        if (RouterModelCard.Load(cardPath).VersionId != shipped.CommittedCard().VersionId)
        {
            throw new RouterModelException($"{given} holds a card but not its model files; only the shipped router's card is built on demand (router build-shipped)");
        }

        return await shipped.EnsureBuiltAsync(new Progress(Console.Error), cancellationToken);
    }

    /// <summary>The encoder as the build copies it beside the app, at the precision the environment asks for (default int8).</summary>
    private static SentenceEncoder LoadEncoder() => EncoderProvider.Load(ModelOptions.FromEnvironment());

    private static EmbeddingCache OpenCache(string? directory, SentenceEncoder encoder) =>
        EmbeddingCache.Open(directory ?? Path.Combine(new Data.DatabaseOptions().ResolveDataDirectory(), "models", "cache", "embeddings"),
            encoder.VersionId, encoder.Dimensions);

    private static Option<bool> StageOneOnlyOption() => new("--stage-one-only") { Description = "Train the n-gram router alone (no encoder stage)." };

    private static Option<string?> CacheOption() => new("--cache")
    {
        Description = "Folder of the encoder's embedding cache (default: models/cache/embeddings in the state folder).",
    };

    /// <summary>Loads the encoder only if a cascade asks for it; disposes it with the command.</summary>
    private sealed class LazyEncoder : IDisposable
    {
        private SentenceEncoder? _encoder;

        public SentenceEncoder Get() => _encoder ??= LoadEncoder();

        public void Dispose() => _encoder?.Dispose();
    }

    private static RouterTrainingSettings TrainingSettings(double targetPrecision, int seed) => new()
    {
        Seed = seed,
        Certification = new CertificationSettings { TargetPrecision = targetPrecision },
    };

    private static Option<string> ModelOption() =>
        new("--model")
        {
            Description = "Folder holding the router: router.json with router.onnx (and cascade.bin for two stages); models/router means the shipped router, built on first use.",
            Required = true,
        };

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
