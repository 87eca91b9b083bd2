using SupportConsole.Engine.Encoders;
using SupportConsole.Engine.Retrieval;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Retrieval;

/// <summary>Parsing, chunking, BM25, fusion and the intent boost on the fixture knowledge base, with the real ONNX Runtime.</summary>
public sealed class RetrievalTests : IDisposable
{
    private const string Article = """
        # Card delivery and activation

        Intents: card_arrival, activate_my_card

        Intro text that is not a section.

        ## When will my card arrive?

        Cards arrive in 3 to 5 working days. Track the delivery in the app.

        ### Abroad

        Allow 10 days outside the UK.

        ## How do I activate my card?

        Open the app and scan the QR code on the letter to activate the card.
        """;

    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public void MarkdownArticleParsesIntoTitleIntentsAndSections()
    {
        var article = KbMarkdown.Parse("card-delivery", Article);

        Assert.Equal("Card delivery and activation", article.Title);
        Assert.Equal(["card_arrival", "activate_my_card"], article.Intents);
        Assert.Equal(["When will my card arrive?", "How do I activate my card?"], article.Sections.Select(s => s.Title));
        Assert.Equal([0, 1], article.Sections.Select(s => s.Order));
        Assert.All(article.Sections, s => Assert.Equal("card-delivery", s.ArticleId));
        Assert.StartsWith("Cards arrive in 3 to 5", article.Sections[0].Body);
        Assert.EndsWith("Allow 10 days outside the UK.", article.Sections[0].Body);
    }

    [Theory]
    [InlineData("no title here\n## Section\nbody", "first line")]
    [InlineData("# Title\nIntents: a\nno sections", "no '## ' sections")]
    [InlineData("# Title\n## Empty\n## Next\nbody", "has no text")]
    [InlineData("# Title\n## Same\nx\n## Same\ny", "appears twice")]
    [InlineData("", "no title")]
    public void MalformedArticleIsRejectedNamingTheArticle(string markdown, string reason)
    {
        var error = Assert.Throws<KbFormatException>(() => KbMarkdown.Parse("bad-article", markdown));

        Assert.Contains(reason, error.Message);
        Assert.Contains("bad-article", error.Message);
    }

    [Fact]
    public void DirectoryLoadsEveryArticleByFileName()
    {
        var articles = RetrievalFixtures.Articles();

        Assert.Equal(["card-delivery", "fees", "lost-and-stolen"], articles.Select(a => a.Id));
        Assert.Contains("untitled", Assert.Throws<KbFormatException>(() => KbMarkdown.LoadDirectory(RetrievalFixtures.MalformedKb)).Message);
        Assert.Contains("not found", Assert.Throws<KbFormatException>(() => KbMarkdown.LoadDirectory(_directory.File("none"))).Message);
    }

    [Fact]
    public void ShortSectionIsOneChunkWithItsTextUnchanged()
    {
        var chunks = KbChunker.Chunk(RetrievalFixtures.Articles(), chunkWords: 120, overlapWords: 30);

        var first = chunks[0];
        Assert.Equal(5, chunks.Count);
        Assert.Equal(("card-delivery#0.0", "card-delivery", "Card delivery and activation", "When will my card arrive?", 0, 0),
            (first.ChunkId, first.ArticleId, first.ArticleTitle, first.SectionTitle, first.SectionOrder, first.Order));
        Assert.Equal(RetrievalFixtures.Articles()[0].Sections[0].Body, first.Text);
    }

    [Fact]
    public void LongSectionIsSplitIntoWindowsThatOverlap()
    {
        var words = string.Join(' ', Enumerable.Range(0, 300).Select(i => $"w{i}"));
        var article = new KbArticle("long", "Long", [], [new KbSection("long", "All", words, 0)]);

        var chunks = KbChunker.Chunk([article], chunkWords: 120, overlapWords: 30);

        Assert.Equal(["long#0.0", "long#0.1", "long#0.2"], chunks.Select(c => c.ChunkId));
        Assert.Equal([0, 1, 2], chunks.Select(c => c.Order));
        var split = chunks.Select(c => c.Text.Split(' ')).ToList();
        Assert.Equal(["w0", "w119"], [split[0][0], split[0][^1]]);
        Assert.Equal(["w90", "w209"], [split[1][0], split[1][^1]]);
        Assert.Equal(["w180", "w299"], [split[2][0], split[2][^1]]);
        Assert.Equal(split[0][^30..], split[1][..30]);
        Assert.All(chunks, c => Assert.Equal("All", c.SectionTitle));
    }

    [Fact]
    public void Bm25RanksTheSectionThatSharesTheQuestionsRareWordsFirst()
    {
        var index = Bm25Index();

        var top = index.Search("how do I activate the card I received", null, 3);

        Assert.Equal("How do I activate my card?", top[0].SectionTitle);
        Assert.True(top[0].Bm25Score > top[1].Bm25Score);
        Assert.Equal(top.OrderByDescending(s => s.Score), top);
        Assert.Equal(0, top[0].DenseScore);
    }

    [Fact]
    public void Bm25SaturatesRepeatedWordsAndPrefersShortDocuments()
    {
        var articles = new List<KbArticle>
        {
            new("a", "A", [], [new KbSection("a", "One", "refund refund refund refund refund refund", 0)]),
            new("b", "B", [], [new KbSection("b", "Two", "refund " + string.Join(' ', Enumerable.Repeat("padding", 60)), 0)]),
            new("c", "C", [], [new KbSection("c", "Three", "refund", 0)]),
        };
        var index = KnowledgeIndex.Build(articles, null, new RetrievalSettings { Mode = RetrievalMode.Bm25, Bm25K1 = 1.2, Bm25B = 0.75 });

        var top = index.Search("refund", null, 3);

        Assert.Equal(["a", "c", "b"], top.Select(s => s.ArticleId));
        Assert.True(top[0].Bm25Score < 2.2 * top[1].Bm25Score, "term frequency saturates at k1 + 1");
    }

    [Fact]
    public void QueryWithoutAnyMatchReturnsNothing()
    {
        Assert.Empty(Bm25Index().Search("zzz qqq", null, 3));
        Assert.Empty(Bm25Index().Search("", null, 3));
    }

    [Fact]
    public void PredictedIntentBoostsItsArticleAndNullMeansNoBoost()
    {
        var index = Bm25Index();

        var plain = index.Search("what does it cost", null, 3);
        var boosted = index.Search("what does it cost", "card_arrival", 3);
        var unknownIntent = index.Search("what does it cost", "no_such_intent", 3);

        Assert.Equal("fees", plain[0].ArticleId);
        Assert.Equal("card-delivery", boosted[0].ArticleId);
        Assert.Equal(plain, unknownIntent);
        Assert.Equal(plain, KnowledgeIndex.Build(RetrievalFixtures.Articles(), null, new RetrievalSettings { Mode = RetrievalMode.Bm25, IntentBoost = 0 })
            .Search("what does it cost", "card_arrival", 3));
    }

    [Fact]
    public void ResultsKeepTheBestChunkOfEachSection()
    {
        var body = string.Join(' ', Enumerable.Range(0, 200).Select(i => i % 10 == 0 ? "refund" : $"filler{i}"));
        var article = new KbArticle("long", "Refunds", [], [new KbSection("long", "All about refunds", body, 0), new KbSection("long", "Other", "A refund note.", 1)]);
        var index = KnowledgeIndex.Build([article], null, new RetrievalSettings { Mode = RetrievalMode.Bm25, ChunkWords = 50, OverlapWords = 10 });

        var top = index.Search("refund", null, 10);

        Assert.True(index.ChunkCount > 3);
        Assert.Equal(2, top.Count);
        Assert.Equal(top.Count, top.Select(s => s.SectionTitle).Distinct().Count());
    }

    [Fact]
    public void DenseSearchUsesTheEmbedderAndHybridFusesBothLists()
    {
        using var embedder = RetrievalFixtures.TinyEmbedder(_directory.Path);
        var articles = RetrievalFixtures.Articles();
        var dense = KnowledgeIndex.Build(articles, embedder, new RetrievalSettings { Mode = RetrievalMode.Dense });
        var hybrid = KnowledgeIndex.Build(articles, embedder, new RetrievalSettings { Mode = RetrievalMode.Hybrid, RrfK = 60 });

        // "stolen" is the only known word and appears in one article; dense scores are cosine similarities.
        var denseTop = dense.Search("stolen", null, 5);
        var hybridTop = hybrid.Search("stolen", null, 5);

        Assert.Equal("lost-and-stolen", denseTop[0].ArticleId);
        Assert.InRange(denseTop[0].DenseScore, 0.5, 1.0001);
        Assert.Equal("lost-and-stolen", hybridTop[0].ArticleId);
        Assert.Equal(2.0 / 61, hybridTop[0].Score, 6);
        Assert.True(hybridTop[0].Bm25Score > 0);
        Assert.NotEqual(dense.Version, hybrid.Version);
    }

    [Fact]
    public void ALexicalOnlySearchNeverEmbedsTheQueryAndRanksAsBm25Does()
    {
        using var tiny = RetrievalFixtures.TinyEmbedder(_directory.Path);
        var embedder = new CountingEmbedder(tiny);
        var articles = RetrievalFixtures.Articles();
        var hybrid = KnowledgeIndex.Build(articles, embedder, new RetrievalSettings { Mode = RetrievalMode.Hybrid });
        var bm25 = KnowledgeIndex.Build(articles, null, new RetrievalSettings { Mode = RetrievalMode.Bm25 });
        var afterBuild = embedder.Calls;

        var lexical = hybrid.Search("my stolen card", "card_arrival", 5, lexicalOnly: true);
        Assert.Equal(afterBuild, embedder.Calls);
        var full = hybrid.Search("my stolen card", "card_arrival", 5);
        Assert.Equal(afterBuild + 1, embedder.Calls);

        Assert.NotEmpty(lexical);
        Assert.All(lexical, s => Assert.Equal(0, s.DenseScore));
        Assert.Contains(full, s => s.DenseScore != 0);
        Assert.Equal(
            bm25.Search("my stolen card", "card_arrival", 5).Select(s => (s.ChunkId, s.Score)),
            lexical.Select(s => (s.ChunkId, s.Score)));
    }

    [Fact]
    public void ConcurrentSearchesGiveTheSameAnswersAsSequentialOnes()
    {
        using var embedder = RetrievalFixtures.TinyEmbedder(_directory.Path);
        var index = KnowledgeIndex.Build(RetrievalFixtures.Articles(), embedder, new RetrievalSettings());
        var queries = RetrievalEvaluator.ReadGoldenSet(RetrievalFixtures.Golden).Select(q => q.Text).ToArray();
        var expected = queries.Select(q => index.Search(q, "card_arrival", 3)).ToArray();

        var actual = new IReadOnlyList<RetrievedSource>[queries.Length * 20];
        Parallel.For(0, actual.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => actual[i] = index.Search(queries[i % queries.Length], "card_arrival", 3));

        for (var i = 0; i < actual.Length; i++)
        {
            Assert.Equal(expected[i % queries.Length], actual[i]);
        }
    }

    [Fact]
    public void IndexVersionChangesWithTheContentOnly()
    {
        var a = Bm25Index();
        var b = Bm25Index();
        var edited = RetrievalFixtures.Articles().Select(x => x.Id == "fees" ? x with { Sections = [new KbSection("fees", "Fees", "Everything costs 2 GBP now.", 0)] } : x).ToList();
        var c = KnowledgeIndex.Build(edited, null, new RetrievalSettings { Mode = RetrievalMode.Bm25 });

        Assert.Equal(a.Version, b.Version);
        Assert.NotEqual(a.Version, c.Version);
    }

    [Fact]
    public void BadSettingsAndAMissingEmbedderAreArgumentErrors()
    {
        var articles = RetrievalFixtures.Articles();

        Assert.Contains("needs an embedder", Assert.Throws<ArgumentException>(() => KnowledgeIndex.Build(articles, null, new RetrievalSettings())).Message);
        Assert.Contains("OverlapWords", Assert.Throws<ArgumentException>(() =>
            KnowledgeIndex.Build(articles, null, new RetrievalSettings { Mode = RetrievalMode.Bm25, ChunkWords = 20, OverlapWords = 20 })).Message);
        Assert.Contains("Bm25B", Assert.Throws<ArgumentException>(() =>
            KnowledgeIndex.Build(articles, null, new RetrievalSettings { Mode = RetrievalMode.Bm25, Bm25B = 1.5 })).Message);
        Assert.Contains("appears 2 times", Assert.Throws<ArgumentException>(() =>
            KnowledgeIndex.Build([.. articles, articles[0]], null, new RetrievalSettings { Mode = RetrievalMode.Bm25 })).Message);
    }

    [Fact]
    public void EvaluatorCountsTheExpectedArticleInTheTopSources()
    {
        var index = Bm25Index();
        var queries = RetrievalEvaluator.ReadGoldenSet(RetrievalFixtures.Golden);

        var plain = RetrievalEvaluator.Evaluate(index, queries, withIntent: false);
        var boosted = RetrievalEvaluator.Evaluate(index, queries, withIntent: true);

        Assert.Equal(5, plain.Queries);
        Assert.InRange(plain.RecallAt1, 0.6, 1);
        Assert.True(plain.RecallAt3 >= plain.RecallAt1);
        Assert.Equal(1, boosted.RecallAt1);
    }

    [Fact]
    public void TheEncoderFindsTheDemoTenantsArticles()
    {
        var embedder = TestModels.Encoder;
        var articles = KbMarkdown.LoadDirectory(Path.Combine(RepositoryPaths.Root, "data", "tenant", "kb"));
        var queries = RetrievalEvaluator.ReadGoldenSet(Path.Combine(RepositoryPaths.Root, "data", "tenant", "golden-set.csv"));
        var index = KnowledgeIndex.Build(articles, embedder, new RetrievalSettings());

        // Loose floors: the tenant's content evolves; these catch a broken embedder or fusion, not a point of recall.
        Assert.True(RetrievalEvaluator.Evaluate(index, queries, withIntent: false).RecallAt3 > 0.85);
        Assert.True(RetrievalEvaluator.Evaluate(index, queries, withIntent: true).RecallAt1 > 0.95);
    }

    public void Dispose() => _directory.Dispose();

    private static KnowledgeIndex Bm25Index() => KnowledgeIndex.Build(RetrievalFixtures.Articles(), null, new RetrievalSettings { Mode = RetrievalMode.Bm25 });
}

/// <summary>A real embedder that counts the calls made to it.</summary>
internal sealed class CountingEmbedder(ITextEmbedder inner) : ITextEmbedder
{
    public int Calls { get; private set; }

    public int Dimensions => inner.Dimensions;

    public string VersionId => inner.VersionId;

    public float[] Embed(IReadOnlyList<string> texts)
    {
        Calls++;
        return inner.Embed(texts);
    }
}
