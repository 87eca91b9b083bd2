using System.Security.Cryptography;
using Google.Protobuf;
using SupportConsole.Engine.Routing.Calibration;
using SupportConsole.Engine.Routing.Onnx;
using SupportConsole.Engine.Routing.Training;

namespace SupportConsole.Engine.Routing.Benchmarking;

/// <summary>
/// Writes a router with the real graph and random weights at a chosen size, to show that per-ticket cost
/// does not grow with the vocabulary or the number of intents. Its vocabulary holds the real n-grams of the
/// benchmark texts (so lookups hit as they would) topped up with random n-grams to the requested size.
/// </summary>
public static class SyntheticRouter
{
    public const int DefaultIntents = 500;
    public const int DefaultFeatures = 200_000;
    private const int Hidden = 128;

    public static void Write(string directory, IReadOnlyList<string> texts, int intents, int features, int seed)
    {
        var random = new Random(seed);
        var settings = new FeatureSettings();
        var real = FeatureVocabulary.Build(texts, settings);
        var charGrams = real.CharGrams.ToHashSet(StringComparer.Ordinal);
        var extra = new List<string>();
        while (real.WordCount + charGrams.Count < features)
        {
            var gram = string.Create(8, random, static (span, r) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = (char)('a' + r.Next(26));
                }
            });
            if (charGrams.Add(gram))
            {
                extra.Add(gram);
            }
        }

        var allChars = real.CharGrams.Concat(extra).Order(StringComparer.Ordinal).ToList();
        var idf = Enumerable.Range(0, real.WordCount + allChars.Count).Select(_ => 1f + (3f * random.NextSingle())).ToArray();
        var vocabulary = new FeatureVocabulary(settings, real.WordGrams, allChars, idf);
        var rank = Math.Min(intents, new RouterTrainingSettings().MaxLinearRank);
        var width = rank + Hidden;
        var table = new float[vocabulary.Count * width];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = (random.NextSingle() - 0.5f) * 0.2f;
        }

        var weights = new RouterGraphWeights
        {
            Vocabulary = vocabulary,
            Classes = intents,
            LinearRank = rank,
            Hidden = Hidden,
            NgramTable = table,
            HiddenBias = new float[Hidden],
            Output = [.. Enumerable.Range(0, width * intents).Select(_ => (random.NextSingle() - 0.5f) * 0.2f)],
            ClassBias = new float[intents],
        };
        var onnx = RouterGraphWriter.Build(weights, new Dictionary<string, string>()).ToByteArray();
        var labels = Enumerable.Range(0, intents).Select(i => $"synthetic_{i:D3}").ToArray();
        var sha = Convert.ToHexStringLower(SHA256.HashData(onnx));
        var card = new RouterModelCard
        {
            VersionId = $"synthetic-{intents}x{vocabulary.Count}-{sha[..8]}",
            CreatedAt = DateTimeOffset.UtcNow,
            Labels = labels,
            Features = new FeatureCard { Settings = settings, WordNgrams = vocabulary.WordCount, CharNgrams = allChars.Count },
            Model = new ModelArchitecture { Network = new HiddenLayerSettings { Hidden = Hidden } },
            Training = new TrainingSummary { DataSource = "synthetic (random weights)", DataSha256 = string.Empty },
            Validation = new HeldOutMetrics(),
            Calibration = new CalibrationSummary { MemberWeights = [1.0, 1.0] },
            Certification = new CertificationRule
            {
                Method = "synthetic: fixed threshold",
                Intents = [.. labels.Select(l => new IntentCertification { Intent = l, Threshold = 0.9, Status = CertificationRule.StatusCertified })],
            },
            Onnx = new OnnxSummary { Sha256 = sha, VocabularySize = vocabulary.Count },
        };
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, RouterModelCard.OnnxFileName), onnx);
        File.WriteAllText(Path.Combine(directory, RouterModelCard.CardFileName), card.ToJson());
    }
}
