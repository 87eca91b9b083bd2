using System.Text;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SupportConsole.Engine.Onnx;
using SupportConsole.Engine.Routing;
using DataType = SupportConsole.Engine.Onnx.Proto.TensorProto.Types.DataType;

namespace SupportConsole.Tests.Routing;

/// <summary>
/// Sweeps every Unicode code point through the ONNX text operators the router uses and the C# featuriser:
/// lower-casing (StringNormalizer), word splitting (Tokenizer regex) and the word-character test (RegexFullMatch).
/// </summary>
public sealed class TextPrimitiveParityTests
{
    private static readonly string[] CodePoints = [.. Enumerable.Range(1, 0x10FFFF)
        .Where(cp => cp is < 0xD800 or > 0xDFFF)
        .Select(char.ConvertFromUtf32)];

    [Fact]
    public void LowerCasingMatchesStringNormalizerForEveryCodePoint()
    {
        var onnx = RunStringGraph(g => g.Node("StringNormalizer", ["text"],
            ("case_change_action", "LOWER"), ("is_case_sensitive", 0L), ("locale", "C.UTF-8")), CodePoints);

        var mismatches = CodePoints.Where((c, i) => TicketTextFeaturizer.ToLower(c) != onnx[i]).Take(10).ToList();

        Assert.True(mismatches.Count == 0, "differ at " + string.Join(", ", mismatches.Select(c => $"U+{char.ConvertToUtf32(c, 0):X4}")));
    }

    [Fact]
    public void WordCharacterTestMatchesRegexFullMatchForEveryCodePoint()
    {
        var onnx = RunGraph<bool>(g => g.Node("RegexFullMatch", ["text"], ("pattern", RouterGraphWriterConstants.WordCharacterPattern)),
            CodePoints, DataType.Bool);

        var mismatches = CodePoints
            .Where((c, i) => TicketTextFeaturizer.IsWordCharacter(Rune.GetRuneAt(c, 0)) != onnx[i])
            .Take(10).ToList();

        Assert.True(mismatches.Count == 0, "differ at " + string.Join(", ", mismatches.Select(c => $"U+{char.ConvertToUtf32(c, 0):X4}")));
    }

    [Fact]
    public void WordSplittingMatchesTokenizerForEveryCodePoint()
    {
        // "a<c>b" is one word when c is a word character and two otherwise.
        var texts = CodePoints.Select(c => "a" + c + "b").ToArray();
        var onnx = RunStringGraph(g => g.NodeInDomain(OnnxGraphBuilder.MicrosoftDomain, "Tokenizer", ["text"],
            ("mark", 0L), ("mincharnum", 1L), ("pad_value", "#"), ("tokenexp", RouterGraphWriterConstants.WordPattern)), texts, 2);

        var mismatches = new List<string>();
        for (var i = 0; i < texts.Length && mismatches.Count < 10; i++)
        {
            var words = TicketTextFeaturizer.Words(texts[i]);
            var onnxWords = onnx.Skip(i * (onnx.Length / texts.Length)).Take(onnx.Length / texts.Length).Where(w => w != "#").ToList();
            if (!words.SequenceEqual(onnxWords))
            {
                mismatches.Add($"U+{char.ConvertToUtf32(CodePoints[i], 0):X4}");
            }
        }

        Assert.True(mismatches.Count == 0, "differ at " + string.Join(", ", mismatches));
    }

    private static string[] RunStringGraph(Func<OnnxGraphBuilder, string> node, string[] inputs, int outputRank = 1)
    {
        using var session = Session(node, DataType.String, outputRank);
        using var value = OrtValue.CreateFromStringTensor(new DenseTensor<string>(inputs, [inputs.Length]));
        using var outputs = session.Run(new RunOptions(), ["text"], [value], ["out"]);
        return outputs[0].GetStringTensorAsArray();
    }

    private static T[] RunGraph<T>(Func<OnnxGraphBuilder, string> node, string[] inputs, DataType outputType)
        where T : unmanaged
    {
        using var session = Session(node, outputType, 1);
        using var value = OrtValue.CreateFromStringTensor(new DenseTensor<string>(inputs, [inputs.Length]));
        using var outputs = session.Run(new RunOptions(), ["text"], [value], ["out"]);
        return outputs[0].GetTensorDataAsSpan<T>().ToArray();
    }

    private static InferenceSession Session(Func<OnnxGraphBuilder, string> node, DataType outputType, int outputRank)
    {
        var g = new OnnxGraphBuilder("sweep");
        g.AddInput("text", DataType.String, "N");
        g.Identity(node(g), "out");
        g.AddOutput("out", outputType, [.. Enumerable.Range(0, outputRank).Select(i => (object)$"d{i}")]);
        var model = g.ToModel(new Dictionary<string, string>(), (string.Empty, 21), (OnnxGraphBuilder.MicrosoftDomain, 1));
        return new InferenceSession(model.ToByteArray());
    }
}
