using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Encoders;

/// <summary>The pretrained encoder from its package: one text embedded twice in a row (router, then retrieval) is the same vector.</summary>
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
}
