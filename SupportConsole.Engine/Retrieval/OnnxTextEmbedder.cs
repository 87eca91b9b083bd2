using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SupportConsole.Engine.Encoders;
using SupportConsole.Engine.Onnx;

namespace SupportConsole.Engine.Retrieval;

/// <summary>The ONNX Runtime embedder: one session for the life of the object (Run is thread-safe), checked against its card when loaded.</summary>
public sealed class OnnxTextEmbedder : ITextEmbedder, IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames = [EmbedderCard.InputName];
    private readonly string[] _outputNames = [EmbedderCard.OutputName];

    private OnnxTextEmbedder(InferenceSession session, EmbedderCard card)
    {
        _session = session;
        Card = card;
    }

    public EmbedderCard Card { get; }

    public int Dimensions => Card.Dimensions;

    public string VersionId => Card.VersionId;

    /// <summary>Loads embedder.onnx and embedder.json from <paramref name="directory"/>; any problem is an <see cref="EmbedderModelException"/>.</summary>
    public static OnnxTextEmbedder Load(string directory)
    {
        var card = EmbedderCard.Load(Path.Combine(directory, EmbedderCard.CardFileName));
        var onnxPath = Path.Combine(directory, EmbedderCard.OnnxFileName);
        if (!File.Exists(onnxPath))
        {
            throw new EmbedderModelException($"embedder model not found: {onnxPath}");
        }

        var bytes = File.ReadAllBytes(onnxPath);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(sha, card.OnnxSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new EmbedderModelException($"embedder model {onnxPath} does not match its card (sha256 {sha[..12]}..., card says {card.OnnxSha256[..12]}...)");
        }

        InferenceSession session;
        try
        {
            using var options = new SessionOptions
            {
                IntraOpNumThreads = 1,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            session = new InferenceSession(bytes, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new EmbedderModelException($"embedder model {onnxPath} cannot be loaded by ONNX Runtime: {e.Message}", e);
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

        return new OnnxTextEmbedder(session, card);
    }

    public float[] Embed(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Any(t => t is null))
        {
            throw new ArgumentException("text is null", nameof(texts));
        }

        return texts.Count switch
        {
            0 => [],
            1 => Run([texts[0]]),
            _ => PaddedRuns.RunAll(texts, Dimensions, Run),
        };
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    private float[] Run(string[] texts)
    {
        using var value = OrtValue.CreateFromStringTensor(new DenseTensor<string>(texts, [texts.Length]));
        using var outputs = _session.Run(_runOptions, _inputNames, [value], _outputNames);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static void CheckSignature(InferenceSession session, EmbedderCard card, string path)
    {
        var inputs = session.InputMetadata;
        if (inputs.Count != 1 || !inputs.TryGetValue(EmbedderCard.InputName, out var input) || input.ElementDataType != TensorElementType.String)
        {
            throw new EmbedderModelException(
                $"embedder model {path} must take one string input '{EmbedderCard.InputName}', found: "
                + string.Join(", ", inputs.Select(i => $"{i.Key} ({i.Value.ElementDataType})")));
        }

        var outputs = session.OutputMetadata;
        if (!outputs.TryGetValue(EmbedderCard.OutputName, out var output) || output.ElementDataType != TensorElementType.Float
            || output.Dimensions.Length != 2 || output.Dimensions[1] != card.Dimensions)
        {
            throw new EmbedderModelException(
                $"embedder model {path} must output float '{EmbedderCard.OutputName}' [N, {card.Dimensions}], found: "
                + string.Join(", ", outputs.Select(o => $"{o.Key} ({o.Value.ElementDataType} [{string.Join(",", o.Value.Dimensions)}])")));
        }
    }
}
