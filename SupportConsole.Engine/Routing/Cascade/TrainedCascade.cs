using System.Security.Cryptography;
using SupportConsole.Engine.Encoders;
using SupportConsole.Engine.Routing.Training;

namespace SupportConsole.Engine.Routing.Cascade;

/// <summary>A trained two-stage router in memory: stage 1's graph, stage 2's file and the card describing both.</summary>
public sealed class TrainedCascade
{
    private readonly byte[] _stageTwo;

    private TrainedCascade(TrainedRouter stageOne, byte[] stageTwo, RouterModelCard card)
    {
        StageOne = stageOne;
        _stageTwo = stageTwo;
        Card = card;
    }

    public TrainedRouter StageOne { get; }

    public RouterModelCard Card { get; }

    public ReadOnlyMemory<byte> StageTwoFile => _stageTwo;

    internal static TrainedCascade Create(TrainedRouter stageOne, StageTwoResult stageTwo, SentenceEncoder encoder,
        CascadeTrainingSettings settings, CascadeTimings timings)
    {
        var bytes = stageTwo.Model.ToBytes();
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var primary = stageTwo.Rules[0];
        var others = stageTwo.Rules.Skip(1).OrderBy(r => r.Target).ToList();
        var first = stageOne.Card;
        var card = first with
        {
            Schema = RouterModelCard.CascadeSchema,
            // The version names both stages: a new stage 2 on the same stage 1 is a new model.
            VersionId = $"{first.VersionId}-{sha[..8]}",
            Certification = primary.StageOne,
            AlternativeCertifications = [.. others.Select(r => r.StageOne)],
            Training = first.Training with { DurationSeconds = timings.TotalSeconds },
            Cascade = new CascadeCard
            {
                Encoder = new EncoderSummary
                {
                    Package = encoder.Package.Name,
                    Version = encoder.Package.Version,
                    ModelSha256 = encoder.ModelSha256,
                    Precision = encoder.Precision == EncoderPrecision.Int8 ? EncoderQuantizer.Method : "float32",
                    Dimensions = encoder.Dimensions,
                    MaxTokens = SentenceEncoder.MaxTokens,
                },
                HeadL2Penalty = stageTwo.HeadL2,
                StackerWeights = [stageTwo.Model.StageOneWeight, stageTwo.Model.HeadWeight],
                Sha256 = sha,
                Certification = primary.StageTwo,
                AlternativeCertifications = [.. others.Select(r => r.StageTwo)],
                Validation = stageTwo.Validation,
                StageOneHeldOutShare = primary.CertifiedFirst.Count(c => c) / (double)primary.CertifiedFirst.Length,
                Timings = timings,
            },
        };
        return new TrainedCascade(stageOne, bytes, card);
    }

    /// <summary>Writes router.onnx, cascade.bin and router.json into <paramref name="directory"/> (created if missing).</summary>
    public void WriteTo(string directory)
    {
        StageOne.WriteTo(directory);
        ModelFiles.WriteAtomically(Path.Combine(directory, CascadeCard.CascadeFileName), _stageTwo);
        ModelFiles.WriteAtomically(Path.Combine(directory, RouterModelCard.CardFileName), System.Text.Encoding.UTF8.GetBytes(Card.ToJson()));
    }
}
