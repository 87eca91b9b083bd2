using System.Numerics.Tensors;
using System.Security.Cryptography;
using SupportConsole.Engine.Encoders;

namespace SupportConsole.Engine.Routing.Cascade;

/// <summary>
/// The two-stage router. Stage 1 (the n-gram graph) decides alone when its rule certifies the ticket and the ticket
/// passes stage 1's out-of-scope check (static vector, lookups only); every other ticket goes through the encoder:
/// its head is stacked with stage 1's probabilities, and stage 2's rule and out-of-scope check decide certification.
/// Owns stage 1's session; the encoder (one session for every router version) belongs to the caller.
/// </summary>
public sealed class CascadeRouter : IIntentRouter, IDisposable
{
    private readonly OnnxIntentRouter _stageOne;
    private readonly SentenceEncoder _encoder;
    private readonly CascadeModel _model;
    private readonly CascadeCard _cascade;

    private CascadeRouter(OnnxIntentRouter stageOne, SentenceEncoder encoder, CascadeModel model, string directory)
    {
        _stageOne = stageOne;
        _encoder = encoder;
        _model = model;
        _cascade = stageOne.Card.Cascade!;
        Directory = directory;
    }

    public RouterModelCard Card => _stageOne.Card;

    public string Directory { get; }

    /// <summary>Loads a cascade from <paramref name="directory"/> (router.json, router.onnx, cascade.bin), each file checked against the card.</summary>
    public static CascadeRouter Load(string directory, SentenceEncoder encoder)
    {
        var stageOne = OnnxIntentRouter.Load(directory);
        try
        {
            var card = stageOne.Card;
            var cascade = card.Cascade ?? throw new RouterModelException($"router model card in {directory} has no cascade section");
            if (!string.Equals(cascade.Encoder.ModelSha256, encoder.ModelSha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new RouterModelException(
                    $"router model {card.VersionId} was trained with encoder {cascade.Encoder.Package} {cascade.Encoder.Version} "
                    + $"(model sha256 {cascade.Encoder.ModelSha256[..12]}...), loaded is {encoder.Package.Name} {encoder.Package.Version} at {encoder.Precision} ({encoder.ModelSha256[..12]}...; Models:EncoderPrecision chooses)");
            }

            var path = Path.Combine(directory, cascade.File);
            if (!File.Exists(path))
            {
                throw new RouterModelException($"router model stage 2 not found: {path}");
            }

            var bytes = File.ReadAllBytes(path);
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (!string.Equals(sha, cascade.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new RouterModelException($"router model stage 2 {path} does not match its card (sha256 {sha[..12]}..., card says {cascade.Sha256[..Math.Min(12, cascade.Sha256.Length)]}...)");
            }

            var model = CascadeModel.FromBytes(bytes, path);
            if (model.Classes != card.Labels.Count || model.Dimensions != encoder.Dimensions || model.StaticExamples.Dimensions != encoder.StaticTable.Dimensions)
            {
                throw new RouterModelException($"router model stage 2 {path} has {model.Classes} intents x {model.Dimensions} dimensions; "
                    + $"the card has {card.Labels.Count} intents and the encoder {encoder.Dimensions} dimensions");
            }

            return new CascadeRouter(stageOne, encoder, model, directory);
        }
        catch
        {
            stageOne.Dispose();
            throw;
        }
    }

    public RoutePrediction Route(string text) => Route([text])[0];

    public IReadOnlyList<RoutePrediction> Route(IReadOnlyList<string> texts) => Route(texts, Card.Certification.TargetPrecision);

    public float[] Probabilities(IReadOnlyList<string> texts)
    {
        var probabilities = new float[texts.Count * Card.Labels.Count];
        Route(texts, Card.Certification.TargetPrecision, probabilities);
        return probabilities;
    }

    public IReadOnlyList<RoutePrediction> Route(IReadOnlyList<string> texts, double targetPrecision, float[]? probabilities = null)
    {
        var classes = Card.Labels.Count;
        var first = _stageOne.Probabilities(texts);
        var ruleOne = Card.CertificationFor(targetPrecision);
        var ruleTwo = _cascade.CertificationFor(targetPrecision);
        var predictions = new RoutePrediction[texts.Count];
        var toStageTwo = new List<int>();
        Span<float> staticVector = stackalloc float[_encoder.StaticTable.Dimensions];
        for (var i = 0; i < texts.Count; i++)
        {
            var row = first.AsSpan(i * classes, classes);
            var prediction = OnnxIntentRouter.Predict(Card.Labels, row, ruleOne);
            if (!prediction.Certified)
            {
                toStageTwo.Add(i);
                continue;
            }

            // Only tickets stage 1 would certify need its out-of-scope check.
            _encoder.StaticVector(texts[i], staticVector);
            var similarity = _model.StaticExamples.Similarity(TensorPrimitives.IndexOfMax(row), staticVector);
            if (!ruleOne.IsCertified(TensorPrimitives.IndexOfMax(row), prediction.Confidence, similarity))
            {
                toStageTwo.Add(i);
                continue;
            }

            predictions[i] = prediction with { OutOfScopeScore = 1 - similarity };
            if (probabilities is not null)
            {
                row.CopyTo(probabilities.AsSpan(i * classes, classes));
            }
        }

        if (toStageTwo.Count > 0)
        {
            var embeddings = _encoder.Embed([.. toStageTwo.Select(i => texts[i])]);
            var dimensions = _encoder.Dimensions;
            var half = NearestExamples.ToHalf(embeddings);
            TensorPrimitives.ConvertToSingle(half, embeddings);
            var scores = new float[classes];
            var combined = new float[classes];
            for (var r = 0; r < toStageTwo.Count; r++)
            {
                var i = toStageTwo[r];
                var embedding = embeddings.AsSpan(r * dimensions, dimensions);
                _model.HeadScores(embedding, scores);
                _model.Combine(first.AsSpan(i * classes, classes), scores, combined);
                var intent = TensorPrimitives.IndexOfMax(combined);
                var similarity = _model.EncoderExamples.Similarity(intent, embedding);
                var prediction = OnnxIntentRouter.Predict(Card.Labels, combined, ruleTwo);
                var inScope = ruleTwo.OutOfScopeThreshold is not { } cut || similarity >= cut;
                predictions[i] = prediction with
                {
                    Stage = 2,
                    Certified = prediction.Certified && inScope,
                    OutOfScopeScore = 1 - similarity,
                    OutOfScope = !inScope,
                };
                if (probabilities is not null)
                {
                    combined.CopyTo(probabilities.AsSpan(i * classes, classes));
                }
            }
        }

        return predictions;
    }

    public void Dispose() => _stageOne.Dispose();
}

/// <summary>Loads whichever router a folder holds: a cascade (with the shared encoder) or a stage-1-only router.</summary>
public static class RouterLoader
{
    /// <summary>Opens the router in <paramref name="directory"/>; a cascade asks <paramref name="encoder"/> for the encoder.</summary>
    public static IIntentRouter Load(string directory, Func<SentenceEncoder> encoder)
    {
        var card = RouterModelCard.Load(Path.Combine(directory, RouterModelCard.CardFileName));
        return card.Cascade is null ? OnnxIntentRouter.Load(directory) : CascadeRouter.Load(directory, encoder());
    }
}
