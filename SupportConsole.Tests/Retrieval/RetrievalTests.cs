using SupportConsole.Engine.Retrieval;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Retrieval;

public sealed class RetrievalTests
{
    private const string Article = """
        # Card delivery and activation

        Intents: card_arrival, activate_my_card

        Intro text that is not a section.

        ## When will my card arrive?

        Cards arrive in 3 to 5 working days. Track the delivery in the app.

        ## How do I activate my card?

        Open the app and scan the QR code on the letter to activate the card.
        """;

    [Fact]
    public void MarkdownArticleParsesIntoTitleIntentsAndSections()
    {
        var article = KbMarkdown.Parse("card-delivery", Article);

        Assert.Equal("Card delivery and activation", article.Title);
        Assert.Equal(["card_arrival", "activate_my_card"], article.Intents);
        Assert.Equal(["When will my card arrive?", "How do I activate my card?"], article.Sections.Select(s => s.Title));
        Assert.StartsWith("Cards arrive in 3 to 5", article.Sections[0].Body);
    }

    [Theory]
    [InlineData("no title here\n## Section\nbody", "first line")]
    [InlineData("# Title\nIntents: a\nno sections", "no '## ' sections")]
    [InlineData("# Title\n## Empty\n## Next\nbody", "has no text")]
    [InlineData("# Title\n## Same\nx\n## Same\ny", "appears twice")]
    public void MalformedArticleIsRejectedWithTheReason(string markdown, string reason)
    {
        var error = Assert.Throws<KbFormatException>(() => KbMarkdown.Parse("bad", markdown));

        Assert.Contains(reason, error.Message);
        Assert.Contains("bad", error.Message);
    }

    [Fact]
    public void LongSectionsAreSplitIntoOverlappingChunks()
    {
        var words = string.Join(' ', Enumerable.Range(0, 300).Select(i => $"w{i}"));
        var article = new KbArticle("long", "Long", [], [new KbSection("long", "All", words, 0)]);

        var index = KnowledgeIndex.Build([article], null, new RetrievalSettings { Mode = RetrievalMode.Bm25, ChunkWords = 120, OverlapWords = 30 });

        Assert.Equal(3, index.ChunkCount);
        Assert.StartsWith("w90 ", index.Chunks[1].Text);
        Assert.EndsWith("w299", index.Chunks[2].Text);
    }

    [Fact]
    public void Bm25RanksTheSectionThatSharesTheQuestionsWordsFirst()
    {
        var index = KnowledgeIndex.Build([KbMarkdown.Parse("card-delivery", Article), Other()], null, new RetrievalSettings { Mode = RetrievalMode.Bm25 });

        var top = index.Search("how do I activate the card I received", null, 3);

        Assert.Equal("How do I activate my card?", top[0].SectionTitle);
        Assert.True(top[0].Bm25Score > top[1].Bm25Score);
    }

    [Fact]
    public void PredictedIntentBoostsItsArticle()
    {
        var index = KnowledgeIndex.Build([KbMarkdown.Parse("card-delivery", Article), Other()], null, new RetrievalSettings { Mode = RetrievalMode.Bm25 });

        var plain = index.Search("what does it cost", null, 1);
        var boosted = index.Search("what does it cost", "card_arrival", 1);

        Assert.Equal("fees", plain[0].ArticleId);
        Assert.Equal("card-delivery", boosted[0].ArticleId);
    }

    [Fact]
    public void HybridSearchWithTheShippedEmbedderFindsTheRightArticleWithoutSharedWords()
    {
        using var embedder = OnnxTextEmbedder.Load(Path.Combine(RepositoryPaths.Root, "models", "embedder"));
        var articles = KbMarkdown.LoadDirectory(Path.Combine(RepositoryPaths.Root, "data", "tenant", "kb"));
        var index = KnowledgeIndex.Build(articles, embedder, new RetrievalSettings());

        var top = index.Search("someone nicked my wallet with my debit card inside", null, 3);

        Assert.Contains(top, s => s.ArticleId == "lost-and-stolen");
        Assert.All(top, s => Assert.True(s.DenseScore > 0));
    }

    [Fact]
    public void IndexVersionChangesWithTheContentOnly()
    {
        var a = KnowledgeIndex.Build([Other()], null, new RetrievalSettings { Mode = RetrievalMode.Bm25 });
        var b = KnowledgeIndex.Build([Other()], null, new RetrievalSettings { Mode = RetrievalMode.Bm25 });
        var edited = Other() with { Sections = [new KbSection("fees", "Fees", "Everything costs 2 GBP now.", 0)] };
        var c = KnowledgeIndex.Build([edited], null, new RetrievalSettings { Mode = RetrievalMode.Bm25 });

        Assert.Equal(a.Version, b.Version);
        Assert.NotEqual(a.Version, c.Version);
    }

    private static KbArticle Other() => new("fees", "Fees and prices", ["card_payment_fee_charged"],
        [new KbSection("fees", "What does it cost?", "Card payments cost nothing in GBP. What it costs abroad depends on your plan.", 0)]);
}
