using System.Numerics.Tensors;
using System.Security.Cryptography;
using System.Text.Json;
using Google.Protobuf;
using SupportConsole.Engine.Numerics;
using SupportConsole.Engine.Routing.Calibration;
using SupportConsole.Engine.Routing.Onnx;

namespace SupportConsole.Engine.Routing.Training;

/// <summary>
/// Stage 1's out-of-fold predictions, kept in memory for the stages trained on top of it: each row's fold, its intent,
/// whether that intent was left out of its fold's training (open-set row), and the calibrated probabilities (rows x intents).
/// </summary>
public sealed record StageOneHeldOut(int[] Folds, int[] Labels, bool[] Unknown, float[] Probabilities);

/// <summary>
/// A trained router held in memory: the ONNX graph's weights (calibration folded in) and its card. <see cref="ReferenceProbabilities"/> computes in C# what the graph
/// computes, for the parity tests.
/// </summary>
public sealed class TrainedRouter
{
    private readonly RouterGraphWeights _weights;
    private readonly byte[] _onnx;

    private TrainedRouter(RouterGraphWeights weights, byte[] onnx, RouterModelCard card, StageOneHeldOut heldOut)
    {
        _weights = weights;
        _onnx = onnx;
        Card = card;
        HeldOut = heldOut;
    }

    public RouterModelCard Card { get; }

    /// <summary>The out-of-fold predictions the calibration and certification were chosen on (not written to disk).</summary>
    public StageOneHeldOut HeldOut { get; }

    /// <summary>The ONNX file's bytes.</summary>
    public ReadOnlyMemory<byte> Onnx => _onnx;

    internal static TrainedRouter Create(IReadOnlyList<string> labels, FeatureVocabulary vocabulary, LinearSoftmaxModel linear,
        HiddenLayerNetwork network, IReadOnlyList<double> memberWeights, CertificationRule certification,
        IReadOnlyList<CertificationRule> alternativeCertifications,
        RouterTrainingSettings settings, TrainingSummary training, HeldOutMetrics validation, StageOneHeldOut heldOut)
    {
        var classes = labels.Count;
        var hidden = network.Hidden;
        var linearWeight = (float)memberWeights[0];
        var networkWeight = (float)memberWeights[1];
        var scaledLinear = new float[vocabulary.Count * classes];
        for (var feature = 0; feature < vocabulary.Count; feature++)
        {
            var target = scaledLinear.AsSpan(feature * classes, classes);
            TensorPrimitives.Multiply(linear.Weights(feature), linearWeight, target);
        }

        var (factor, basis, rank) = LowRankFactorization.Factorize(scaledLinear, vocabulary.Count, classes, settings.MaxLinearRank);
        var width = rank + hidden;
        var table = new float[vocabulary.Count * width];
        for (var feature = 0; feature < vocabulary.Count; feature++)
        {
            var target = table.AsSpan(feature * width, width);
            factor.AsSpan(feature * rank, rank).CopyTo(target);
            network.Embedding.AsSpan(feature * hidden, hidden).CopyTo(target[rank..]);
        }

        var output = new float[width * classes];
        basis.CopyTo(output, 0);
        TensorPrimitives.Multiply(network.Output, networkWeight, output.AsSpan(rank * classes));
        var classBias = new float[classes];
        for (var k = 0; k < classes; k++)
        {
            classBias[k] = (linear.Bias[k] * linearWeight) + (network.OutputBias[k] * networkWeight);
        }

        var weights = new RouterGraphWeights
        {
            Vocabulary = vocabulary,
            Classes = classes,
            LinearRank = rank,
            Hidden = hidden,
            NgramTable = table,
            HiddenBias = (float[])network.HiddenBias.Clone(),
            Output = output,
            ClassBias = classBias,
        };
        var metadata = new Dictionary<string, string>
        {
            ["supportconsole.labels"] = JsonSerializer.Serialize(labels),
            ["supportconsole.training_data_sha256"] = training.DataSha256,
        };
        var onnx = RouterGraphWriter.Build(weights, metadata).ToByteArray();
        var sha = Convert.ToHexStringLower(SHA256.HashData(onnx));
        var createdAt = DateTimeOffset.UtcNow;
        var card = new RouterModelCard
        {
            VersionId = $"router-{createdAt:yyyyMMdd'T'HHmmss'Z'}-{sha[..8]}",
            CreatedAt = createdAt,
            Labels = labels,
            Features = new FeatureCard
            {
                Settings = vocabulary.Settings,
                WordNgrams = vocabulary.WordCount,
                CharNgrams = vocabulary.CharGrams.Count,
            },
            Model = new ModelArchitecture
            {
                L2Penalty = training.L2Penalty,
                LinearRank = rank,
                Network = settings.Network,
                Epochs = training.Epochs,
            },
            Training = training,
            Validation = validation,
            Calibration = new CalibrationSummary { MemberWeights = memberWeights },
            Certification = certification,
            AlternativeCertifications = alternativeCertifications,
            Onnx = new OnnxSummary { Sha256 = sha, VocabularySize = vocabulary.Count },
        };
        return new TrainedRouter(weights, onnx, card, heldOut);
    }

    /// <summary>Writes router.onnx and router.json into <paramref name="directory"/> (created if missing).</summary>
    public void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        WriteAtomically(Path.Combine(directory, RouterModelCard.OnnxFileName), _onnx);
        WriteAtomically(Path.Combine(directory, RouterModelCard.CardFileName), System.Text.Encoding.UTF8.GetBytes(Card.ToJson()));
    }

    /// <summary>The calibrated probabilities the ONNX graph should produce for <paramref name="text"/>, computed in C#.</summary>
    public float[] ReferenceProbabilities(string text)
    {
        var w = _weights;
        var x = w.Vocabulary.Vectorize(text);
        var features = new float[w.Width];
        for (var i = 0; i < x.Indices.Length; i++)
        {
            TensorPrimitives.MultiplyAdd(w.NgramTable.AsSpan(x.Indices[i] * w.Width, w.Width), x.Values[i], features, features);
        }

        var hidden = features.AsSpan(w.LinearRank, w.Hidden);
        TensorPrimitives.Add(hidden, w.HiddenBias, hidden);
        TensorPrimitives.Max(hidden, 0f, hidden);
        var scores = (float[])w.ClassBias.Clone();
        for (var j = 0; j < w.Width; j++)
        {
            TensorPrimitives.MultiplyAdd(w.Output.AsSpan(j * w.Classes, w.Classes), features[j], scores, scores);
        }

        FixedOrderMath.SoftMax(scores, scores);
        return scores;
    }

    private static void WriteAtomically(string path, byte[] content) => ModelFiles.WriteAtomically(path, content);
}

/// <summary>Writing model files so that a reader never sees half a file.</summary>
internal static class ModelFiles
{
    public static void WriteAtomically(string path, byte[] content)
    {
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
