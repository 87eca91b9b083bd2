using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Routing;

/// <summary>The ONNX graph and the C# reference featuriser + model must give the same probabilities.</summary>
[Collection(SmallRouterCollection.Name)]
public sealed class RouterGraphParityTests(SmallRouterFixture fixture)
{
    public static TheoryData<string> Texts => new(AllTexts);

    private static readonly string[] AllTexts =
    [
        "",
        "   ",
        "?!?! ... ,,, ;-)",
        "Where is my card?",
        "WHERE IS MY CARD",
        "my card my card my card card card",
        "café crème à la carte, naïve façade",
        "Straße İstanbul ΣΑΣ ǅ",
        "Привет, где моя карта?",
        "我的卡在哪里？还没收到",
        "emoji 💳🔥 card 🙂",
        "tab\tand\nnew\r\nlines",
        "a",
        "4111 1111 1111 1111 £100.50 on 2024-01-02",
        "cardкарта mixed",
        "cafe\u0301 with a combining accent",
        "zero\u200Bwidth\u200Djoiner",
        "#hashtag # ## padding-like",
        "lone surrogate \uD800 inside",
        string.Concat(Enumerable.Repeat("I still have not received my new card, can you check the delivery? ", 300)),
        "Supercalifragilisticexpialidocious antidisestablishmentarianism",
    ];

    [Theory]
    [MemberData(nameof(Texts))]
    public void OnnxGraphMatchesCSharpReference(string text)
    {
        var onnx = fixture.Router.Probabilities([text]);
        var reference = fixture.Trained.ReferenceProbabilities(text);

        Assert.Equal(reference.Length, onnx.Length);
        for (var k = 0; k < reference.Length; k++)
        {
            Assert.True(Math.Abs(reference[k] - onnx[k]) < 1e-5,
                $"intent {fixture.Router.Card.Labels[k]}: reference {reference[k]}, onnx {onnx[k]}");
        }
    }

    [Fact]
    public void BatchedTicketsScoreAsTheyDoAlone()
    {
        var texts = AllTexts;
        var batch = fixture.Router.Probabilities(texts);
        var labels = fixture.Router.Card.Labels.Count;

        for (var i = 0; i < texts.Length; i++)
        {
            var alone = fixture.Router.Probabilities([texts[i]]);
            for (var k = 0; k < labels; k++)
            {
                Assert.True(Math.Abs(alone[k] - batch[(i * labels) + k]) < 1e-5, $"text {i}, intent {k}");
            }
        }
    }

    [Fact]
    public void ProbabilitiesSumToOne()
    {
        var probabilities = fixture.Router.Probabilities(["where is my card", ""]);
        var labels = fixture.Router.Card.Labels.Count;

        Assert.Equal(1.0, probabilities.Take(labels).Sum(), 4);
        Assert.Equal(1.0, probabilities.Skip(labels).Sum(), 4);
    }
}
