using SupportConsole.Engine.Encoders;
using SupportConsole.Engine.Routing.Calibration;
using SupportConsole.Engine.Routing.Training;

namespace SupportConsole.Engine.Routing.Cascade;

/// <summary>How a reproduced cascade compared with its committed card.</summary>
public sealed record ReproductionReport(string VersionId, bool StageTwoIdentical, string StageTwoSha256, string ReferenceSha256,
    IReadOnlyList<string> Differences, CascadeTimings? Timings);

/// <summary>
/// Rebuilds the model a committed cascade card describes from its training data, and checks the result against the
/// card: stage 1's graph must have the card's SHA-256 bit for bit (its training is the same on every CPU, decision
/// 012); stage 2 must have the card's SHA-256, or, because the encoder runs in ONNX Runtime whose kernels differ per
/// CPU in the last bits, agree with the card within <see cref="Tolerance"/> (held-out figures, stacker weights and
/// every certification threshold). The card itself (version, thresholds, figures) is the committed one.
/// </summary>
public static class CascadeReproduction
{
    /// <summary>Largest difference accepted in a held-out share, a stacker weight (relative) or a threshold.</summary>
    public const double Tolerance = 0.01;

    /// <summary>The training settings a card records (seed, folds, network, certification targets), on the code's defaults otherwise.</summary>
    public static CascadeTrainingSettings SettingsOf(RouterModelCard card) => new()
    {
        StageOne = new RouterTrainingSettings
        {
            Seed = card.Training.Seed,
            Folds = card.Training.Folds,
            Features = card.Features.Settings,
            Network = card.Model.Network,
            Certification = new CertificationSettings
            {
                TargetPrecision = card.Certification.TargetPrecision,
                ConfidenceLevel = card.Certification.ConfidenceLevel,
                MinIntentSamples = card.Certification.MinIntentSamples,
            },
            AlternativeTargets = [.. card.AlternativeCertifications.Select(r => r.TargetPrecision)],
        },
    };

    /// <summary>Trains, checks and writes the model of <paramref name="committed"/> into <paramref name="directory"/>.</summary>
    public static ReproductionReport Reproduce(RouterModelCard committed, IReadOnlyList<LabelledText> examples, SentenceEncoder encoder,
        EmbeddingCache cache, string directory, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var reference = committed.Cascade ?? throw new RouterModelException($"router card {committed.VersionId} has no cascade section to reproduce");
        var dataHash = RouterTrainer.DataHash(examples);
        if (dataHash != committed.Training.DataSha256)
        {
            throw new RouterModelException(
                $"training data for {committed.VersionId} has SHA-256 {dataHash[..12]}..., the card was trained on {committed.Training.DataSha256[..12]}...");
        }

        var trained = new CascadeTrainer(SettingsOf(committed), progress).Train(examples, committed.Training.DataSource, encoder, cache, cancellationToken);
        if (trained.Card.Onnx.Sha256 != committed.Onnx.Sha256)
        {
            throw new RouterModelException(
                $"stage 1 of {committed.VersionId} reproduced as {trained.Card.Onnx.Sha256[..12]}..., the card says {committed.Onnx.Sha256[..12]}... "
                + "(stage 1 training is the same on every CPU: the code or the data differ)");
        }

        var produced = trained.Card.Cascade!;
        var identical = produced.Sha256 == reference.Sha256;
        var differences = identical ? [] : Compare(committed, trained.Card);
        if (differences.Any(d => d.StartsWith("out of tolerance", StringComparison.Ordinal)))
        {
            throw new RouterModelException($"stage 2 of {committed.VersionId} reproduced outside the card's tolerance: "
                + string.Join("; ", differences.Where(d => d.StartsWith("out of tolerance", StringComparison.Ordinal))));
        }

        var card = committed with
        {
            Cascade = reference with
            {
                Sha256 = produced.Sha256,
                ReferenceSha256 = identical ? null : reference.Sha256,
            },
        };
        Directory.CreateDirectory(directory);
        ModelFiles.WriteAtomically(Path.Combine(directory, RouterModelCard.OnnxFileName), trained.StageOne.Onnx.ToArray());
        ModelFiles.WriteAtomically(Path.Combine(directory, reference.File), trained.StageTwoFile.ToArray());
        ModelFiles.WriteAtomically(Path.Combine(directory, RouterModelCard.CardFileName), System.Text.Encoding.UTF8.GetBytes(card.ToJson()));
        return new ReproductionReport(committed.VersionId, identical, produced.Sha256, reference.Sha256, differences, produced.Timings);
    }

    /// <summary>Every figure that differs between the committed and the reproduced card, each marked within or out of tolerance.</summary>
    internal static List<string> Compare(RouterModelCard committed, RouterModelCard reproduced)
    {
        var differences = new List<string>();
        void Check(string what, double expected, double actual, bool relative = false)
        {
            var gap = Math.Abs(expected - actual) / (relative ? Math.Max(1e-9, Math.Abs(expected)) : 1);
            if (gap > 0)
            {
                differences.Add($"{(gap <= Tolerance ? "within tolerance" : "out of tolerance")}: {what} {expected:G6} -> {actual:G6}");
            }
        }

        var (a, b) = (committed.Cascade!, reproduced.Cascade!);
        Check("held-out accuracy", a.Validation.Accuracy, b.Validation.Accuracy);
        Check("held-out certified coverage", a.Validation.CertifiedCoverage, b.Validation.CertifiedCoverage);
        Check("held-out open-set certified rate", a.Validation.OpenSetCertifiedRate, b.Validation.OpenSetCertifiedRate);
        for (var m = 0; m < Math.Min(a.StackerWeights.Count, b.StackerWeights.Count); m++)
        {
            Check($"stacker weight {m + 1}", a.StackerWeights[m], b.StackerWeights[m], relative: true);
        }

        var rulesA = new[] { committed.Certification, a.Certification }.Concat(committed.AlternativeCertifications).Concat(a.AlternativeCertifications).ToList();
        var rulesB = new[] { reproduced.Certification, b.Certification }.Concat(reproduced.AlternativeCertifications).Concat(b.AlternativeCertifications).ToList();
        for (var r = 0; r < Math.Min(rulesA.Count, rulesB.Count); r++)
        {
            var (ruleA, ruleB) = (rulesA[r], rulesB[r]);
            Check($"rule {r + 1} out-of-scope cut", ruleA.OutOfScopeThreshold ?? 0, ruleB.OutOfScopeThreshold ?? 0);
            for (var k = 0; k < ruleA.Intents.Count; k++)
            {
                Check($"rule {r + 1} ({ruleA.TargetPrecision}) threshold of {ruleA.Intents[k].Intent}",
                    ruleA.Intents[k].Threshold ?? 2, ruleB.Intents[k].Threshold ?? 2);
            }
        }

        return differences;
    }
}
