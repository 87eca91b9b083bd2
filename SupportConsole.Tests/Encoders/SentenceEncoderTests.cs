using SupportConsole.Engine.Encoders;
using SupportConsole.Engine.Onnx.Proto;
using SupportConsole.Routing;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Encoders;

/// <summary>
/// The pretrained encoder from its package: one text embedded twice in a row (router, then retrieval) is the same vector,
/// and the int8 rewrite is reproducible and close to the float32 model.
/// </summary>
public sealed class SentenceEncoderTests
{
    [Fact]
    public void ATextEmbeddedAgainRightAfterGivesTheSameVectorAndACopyOfIt()
    {
        var encoder = TestModels.Encoder;
        const string text = "I was charged twice for my card payment";
        var first = encoder.Embed([text]);
        var expected = first.ToArray();

        // The router rounds its copy in place; the next caller must not see that.
        Array.Fill(first, 0f);
        var second = encoder.Embed([text]);

        Assert.Equal(expected, second);
        Assert.NotSame(first, second);
        Assert.Equal(1.0, Math.Sqrt(second.Sum(v => (double)v * v)), 3);
    }

    [Fact]
    public void AnotherTextIsEmbeddedAfresh()
    {
        var encoder = TestModels.Encoder;
        var card = encoder.Embed(["my card has not arrived yet"]);
        var refund = encoder.Embed(["how do I get a refund for a purchase"]);
        var batch = encoder.Embed(["my card has not arrived yet", "how do I get a refund for a purchase"]);

        Assert.NotEqual(card, refund);
        Assert.Equal(card, batch.AsSpan(0, encoder.Dimensions).ToArray(), (a, b) => Math.Abs(a - b) < 1e-4f);
        Assert.Equal(refund, batch.AsSpan(encoder.Dimensions, encoder.Dimensions).ToArray(), (a, b) => Math.Abs(a - b) < 1e-4f);
    }

    [Fact]
    public void TheInt8RewriteIsTheSameBytesEveryTimeAndReplacesEveryConstantMatMul()
    {
        var files = EncoderProvider.PackageOf(new ModelOptions()).Extract();

        var first = EncoderQuantizer.Quantize(files.Model);
        var second = EncoderQuantizer.Quantize(files.Model);

        Assert.Equal(first, second);
        var original = ModelProto.Parser.ParseFrom(files.Model).Graph;
        var rewritten = ModelProto.Parser.ParseFrom(first).Graph;
        var constants = original.Initializer.Where(i => i.Dims.Count == 2).Select(i => i.Name).ToHashSet();
        var constantProducts = original.Node.Count(n => n.OpType == "MatMul" && constants.Contains(n.Input[1]));
        Assert.True(constantProducts > 0);
        Assert.Equal(constantProducts, rewritten.Node.Count(n => n.OpType == "DynamicQuantizeMatMul"));
        Assert.Equal(original.Node.Count(n => n.OpType == "MatMul") - constantProducts, rewritten.Node.Count(n => n.OpType == "MatMul"));
        Assert.True(first.Length < files.Model.Length * 0.8, $"int8 model {first.Length} bytes, float32 {files.Model.Length}");
        Assert.Equal(TestModels.Encoder.ModelSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(first)));
    }

    [Fact]
    public void Int8EmbeddingsPointWhereTheFloat32OnesDoAndAreADifferentVersion()
    {
        using var float32 = SentenceEncoder.Load(EncoderProvider.PackageOf(new ModelOptions()), EncoderPrecision.Float32);
        var int8 = TestModels.Encoder;
        string[] texts = ["my card has not arrived yet", "how do I get a refund for a purchase", "why was I charged a fee at the ATM", "the app will not let me top up"];

        var exact = float32.Embed(texts);
        var quantized = int8.Embed(texts);

        Assert.Equal(EncoderPrecision.Int8, int8.Precision);
        Assert.NotEqual(float32.VersionId, int8.VersionId);
        Assert.NotEqual(float32.ModelSha256, int8.ModelSha256);
        for (var t = 0; t < texts.Length; t++)
        {
            var cosine = System.Numerics.Tensors.TensorPrimitives.Dot(
                exact.AsSpan(t * int8.Dimensions, int8.Dimensions), quantized.AsSpan(t * int8.Dimensions, int8.Dimensions));
            Assert.InRange(cosine, 0.97f, 0.99999f);
        }
    }
}
