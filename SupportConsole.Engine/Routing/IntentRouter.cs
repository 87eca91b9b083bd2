using System.Numerics.Tensors;
using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SupportConsole.Engine.Onnx;
using SupportConsole.Engine.Routing.Calibration;

namespace SupportConsole.Engine.Routing;

/// <summary>One intent and its calibrated probability.</summary>
public sealed record IntentScore(string Intent, double P);

/// <summary>The router's answer for one ticket.</summary>
public sealed record RoutePrediction(string Intent, double Confidence, bool Certified, IReadOnlyList<IntentScore> Top)
{
    /// <summary>1: stage 1 (n-gram lookups) decided alone; 2: the encoder stage decided.</summary>
    public int Stage { get; init; } = 1;

    /// <summary>
    /// The deciding stage's out-of-scope score, 1 - the similarity to the predicted intent's nearest training ticket
    /// (0 = a training ticket, 1 and above = nothing alike); null when the router has no such check.
    /// </summary>
    public double? OutOfScopeScore { get; init; }

    /// <summary>The deciding stage's out-of-scope check failed: the ticket looks like none of its intent's training tickets.</summary>
    public bool OutOfScope { get; init; }

    /// <summary>The certification threshold on <see cref="Confidence"/> that applied (null: the intent is never certified).</summary>
    public double? Threshold { get; init; }
}

/// <summary>Routes ticket text to an intent with a calibrated confidence and a certification verdict.</summary>
public interface IIntentRouter
{
    RouterModelCard Card { get; }

    RoutePrediction Route(string text);

    IReadOnlyList<RoutePrediction> Route(IReadOnlyList<string> texts);

    /// <summary>
    /// Routes and certifies at <paramref name="targetPrecision"/> (the card's rule for it, see
    /// <see cref="RouterModelCard.CertificationFor"/>); when <paramref name="probabilities"/> is given it is filled with the
    /// deciding stage's calibrated probabilities, rows x labels.
    /// </summary>
    IReadOnlyList<RoutePrediction> Route(IReadOnlyList<string> texts, double targetPrecision, float[]? probabilities = null);

    /// <summary>Calibrated probabilities, rows x labels, in the order of <see cref="RouterModelCard.Labels"/>.</summary>
    float[] Probabilities(IReadOnlyList<string> texts);
}

/// <summary>
/// The ONNX Runtime router: one <see cref="InferenceSession"/> for the life of the object (Run is thread-safe),
/// checked against its card when loaded. Preprocessing and featurisation live inside the graph.
/// </summary>
public sealed class OnnxIntentRouter : IIntentRouter, IDisposable
{
    private const int TopCount = 3;

    private readonly InferenceSession _session;
    private readonly string[] _inputNames = [RouterGraphWriterConstants.InputName];
    private readonly string[] _outputNames = [RouterGraphWriterConstants.OutputName];
    private readonly RunOptions _runOptions = new();

    private OnnxIntentRouter(InferenceSession session, RouterModelCard card, string directory)
    {
        _session = session;
        Card = card;
        Directory = directory;
    }

    public RouterModelCard Card { get; }

    public string Directory { get; }

    /// <summary>Loads router.onnx and router.json from <paramref name="directory"/>; any problem is a <see cref="RouterModelException"/>.</summary>
    public static OnnxIntentRouter Load(string directory, int intraOpThreads = 1)
    {
        var onnxPath = Path.Combine(directory, RouterModelCard.OnnxFileName);
        var card = RouterModelCard.Load(Path.Combine(directory, RouterModelCard.CardFileName));
        if (!File.Exists(onnxPath))
        {
            throw new RouterModelException($"router model not found: {onnxPath}");
        }

        var bytes = File.ReadAllBytes(onnxPath);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(sha, card.Onnx.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new RouterModelException(
                $"router model {onnxPath} does not match its card (sha256 {sha[..12]}..., card says {card.Onnx.Sha256[..Math.Min(12, card.Onnx.Sha256.Length)]}...)");
        }

        using var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        InferenceSession session;
        try
        {
            session = new InferenceSession(bytes, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new RouterModelException($"router model {onnxPath} cannot be loaded by ONNX Runtime: {e.Message}", e);
        }

        try
        {
            CheckSignature(session, card, onnxPath);
        }
        catch
        {
            session.Dispose();
            throw;
        }

        return new OnnxIntentRouter(session, card, directory);
    }

    public RoutePrediction Route(string text) => Route([text])[0];

    public IReadOnlyList<RoutePrediction> Route(IReadOnlyList<string> texts) => Route(texts, Card.Certification.TargetPrecision);

    public IReadOnlyList<RoutePrediction> Route(IReadOnlyList<string> texts, double targetPrecision, float[]? probabilities = null)
    {
        var computed = Probabilities(texts);
        if (probabilities is not null)
        {
            computed.CopyTo(probabilities, 0);
        }
        var rule = Card.CertificationFor(targetPrecision);
        var labels = Card.Labels.Count;
        var predictions = new RoutePrediction[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            predictions[i] = ToPrediction(computed.AsSpan(i * labels, labels), rule);
        }

        return predictions;
    }

    public float[] Probabilities(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
        {
            return [];
        }

        if (texts.Any(t => t is null))
        {
            throw new ArgumentException("ticket text is null", nameof(texts));
        }

        return texts.Count == 1 ? Run([texts[0]]) : PaddedRuns.RunAll(texts, Card.Labels.Count, Run);
    }

    private float[] Run(string[] texts)
    {
        using var value = OrtValue.CreateFromStringTensor(new DenseTensor<string>(texts, [texts.Length]));
        using var outputs = _session.Run(_runOptions, _inputNames, [value], _outputNames);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public RoutePrediction ToPrediction(ReadOnlySpan<float> probabilities) => ToPrediction(probabilities, Card.Certification);

    /// <summary>The prediction for one row of probabilities, certified by <paramref name="rule"/> (without an out-of-scope check).</summary>
    public RoutePrediction ToPrediction(ReadOnlySpan<float> probabilities, CertificationRule rule) => Predict(Card.Labels, probabilities, rule);

    internal static RoutePrediction Predict(IReadOnlyList<string> labels, ReadOnlySpan<float> probabilities, CertificationRule rule)
    {
        var best = TensorPrimitives.IndexOfMax(probabilities);
        var top = new List<IntentScore>(TopCount);
        Span<bool> taken = stackalloc bool[probabilities.Length];
        for (var rank = 0; rank < Math.Min(TopCount, probabilities.Length); rank++)
        {
            var index = -1;
            for (var k = 0; k < probabilities.Length; k++)
            {
                if (!taken[k] && (index < 0 || probabilities[k] > probabilities[index]))
                {
                    index = k;
                }
            }

            taken[index] = true;
            top.Add(new IntentScore(labels[index], probabilities[index]));
        }

        var confidence = probabilities[best];
        return new RoutePrediction(labels[best], confidence, rule.IsCertified(best, confidence), top) { Threshold = rule.Intents[best].Threshold };
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    private static void CheckSignature(InferenceSession session, RouterModelCard card, string path)
    {
        var inputs = session.InputMetadata;
        if (inputs.Count != 1 || !inputs.TryGetValue(RouterGraphWriterConstants.InputName, out var input)
            || input.ElementDataType != TensorElementType.String)
        {
            throw new RouterModelException(
                $"router model {path} must take one string input '{RouterGraphWriterConstants.InputName}', found: "
                + string.Join(", ", inputs.Select(i => $"{i.Key} ({i.Value.ElementDataType})")));
        }

        var outputs = session.OutputMetadata;
        if (!outputs.TryGetValue(RouterGraphWriterConstants.OutputName, out var output)
            || output.ElementDataType != TensorElementType.Float
            || output.Dimensions.Length != 2
            || output.Dimensions[1] != card.Labels.Count)
        {
            throw new RouterModelException(
                $"router model {path} must output float '{RouterGraphWriterConstants.OutputName}' [N, {card.Labels.Count}], found: "
                + string.Join(", ", outputs.Select(o => $"{o.Key} ({o.Value.ElementDataType} [{string.Join(",", o.Value.Dimensions)}])")));
        }
    }
}
