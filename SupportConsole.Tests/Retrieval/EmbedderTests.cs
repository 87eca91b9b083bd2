using System.Numerics.Tensors;
using SupportConsole.Engine.Retrieval;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Retrieval;

/// <summary>The embedder's ONNX graph against a C# reference of the same computation, and its load errors.</summary>
public sealed class EmbedderTests : IDisposable
{
    private static readonly string[] Words = ["card", "arrive", "café", "late", "the"];
    private static readonly float[][] Vectors =
    [
        [1f, 0f, 0f, 2f], [0f, 1f, 0f, 0f], [0.5f, 0.5f, 0.5f, 0f], [0f, 0f, 3f, 1f], [1f, 1f, 1f, 1f],
    ];

    private readonly TemporaryDirectory _directory = new();
    private readonly OnnxTextEmbedder _embedder;

    public EmbedderTests()
    {
        EmbedderGraphWriter.Write(_directory.Path, Words, Vectors, "test vectors", "test");
        _embedder = OnnxTextEmbedder.Load(_directory.Path);
    }

    [Theory]
    [InlineData("card arrive")]
    [InlineData("THE CARD is LATE, the card!")]
    [InlineData("Café au lait")]
    [InlineData("")]
    [InlineData("words nobody knows")]
    public void OnnxEmbeddingMatchesTheReference(string text)
    {
        var onnx = _embedder.Embed([text]);
        var reference = Reference(text);

        Assert.Equal(reference.Length, onnx.Length);
        for (var d = 0; d < reference.Length; d++)
        {
            Assert.True(Math.Abs(reference[d] - onnx[d]) < 1e-5, $"dimension {d}: {reference[d]} vs {onnx[d]}");
        }
    }

    [Fact]
    public void BatchEmbeddingsEqualSingleOnes()
    {
        var batch = _embedder.Embed(["card", "the late café arrives", ""]);

        Assert.Equal(_embedder.Embed(["the late café arrives"]), batch.Skip(4).Take(4).ToArray());
    }

    [Fact]
    public void MissingOrTamperedModelIsAClearError()
    {
        Assert.Contains("not found", Assert.Throws<EmbedderModelException>(() => OnnxTextEmbedder.Load("/nonexistent")).Message);

        File.AppendAllText(Path.Combine(_directory.Path, EmbedderCard.OnnxFileName), "x");
        Assert.Contains("does not match its card", Assert.Throws<EmbedderModelException>(() => OnnxTextEmbedder.Load(_directory.Path)).Message);
    }

    public void Dispose()
    {
        _embedder.Dispose();
        _directory.Dispose();
    }

    /// <summary>Sum of the SIF-weighted vectors of the known words, L2-normalised (zero for no known word).</summary>
    private static float[] Reference(string text)
    {
        var harmonic = Math.Log(Words.Length) + 0.5772;
        var sum = new float[4];
        foreach (var word in Engine.Routing.TicketTextFeaturizer.Words(Engine.Routing.TicketTextFeaturizer.ToLower(text)))
        {
            var rank = Array.IndexOf(Words, word);
            if (rank < 0)
            {
                continue;
            }

            var probability = 1.0 / ((rank + 1) * harmonic);
            var weight = (float)(EmbedderGraphWriter.SmoothInverseFrequency / (EmbedderGraphWriter.SmoothInverseFrequency + probability));
            TensorPrimitives.MultiplyAdd(Vectors[rank], weight, sum, sum);
        }

        var norm = MathF.Sqrt(MathF.Max(TensorPrimitives.Dot(sum, sum), 1e-12f));
        TensorPrimitives.Divide(sum, norm, sum);
        return sum;
    }
}
