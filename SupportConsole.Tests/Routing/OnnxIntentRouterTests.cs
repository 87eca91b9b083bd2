using System.Security.Cryptography;
using System.Text.Json;
using Google.Protobuf;
using SupportConsole.Engine.Onnx;
using SupportConsole.Engine.Routing;
using SupportConsole.Tests.TestSupport;
using DataType = SupportConsole.Engine.Onnx.Proto.TensorProto.Types.DataType;

namespace SupportConsole.Tests.Routing;

[Collection(SmallRouterCollection.Name)]
public sealed class OnnxIntentRouterTests(SmallRouterFixture fixture)
{
    [Fact]
    public void TrainedRouterBeatsChanceByAWideMarginOnHeldOutRows()
    {
        var evaluation = RouterEvaluator.Evaluate(fixture.Router, fixture.Test, "test slice");

        // 12 intents: chance is about 0.08.
        Assert.True(evaluation.Accuracy > 0.8, $"accuracy {evaluation.Accuracy}");
        Assert.True(evaluation.MacroF1 > 0.8, $"macro-F1 {evaluation.MacroF1}");
        Assert.True(evaluation.CertifiedCoverage > 0.3, $"coverage {evaluation.CertifiedCoverage}");
    }

    [Fact]
    public void PredictionCarriesTheTopThreeIntentsInOrder()
    {
        var prediction = fixture.Router.Route("How old do I have to be to open an account for my son?");

        Assert.Equal(3, prediction.Top.Count);
        Assert.Equal(prediction.Intent, prediction.Top[0].Intent);
        Assert.Equal(prediction.Confidence, prediction.Top[0].P, 6);
        Assert.True(prediction.Top[0].P >= prediction.Top[1].P && prediction.Top[1].P >= prediction.Top[2].P);
        Assert.Equal("age_limit", prediction.Intent);
    }

    [Fact]
    public void CertifiedFollowsTheIntentThreshold()
    {
        foreach (var ticket in fixture.Test.Take(100))
        {
            var prediction = fixture.Router.Route(ticket.Text);
            var rule = fixture.Router.Card.Certification.Intents.Single(i => i.Intent == prediction.Intent);
            Assert.Equal(rule.Threshold is { } t && prediction.Confidence >= t, prediction.Certified);
        }
    }

    [Fact]
    public void ConcurrentCallsOnOneSessionGiveTheSameAnswersAsSequentialOnes()
    {
        var texts = fixture.Test.Select(t => t.Text).Take(200).ToArray();
        var sequential = texts.Select(fixture.Router.Route).ToArray();
        var concurrent = new RoutePrediction[texts.Length];

        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => concurrent[i] = fixture.Router.Route(texts[i]));

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(sequential[i].Intent, concurrent[i].Intent);
            Assert.Equal(sequential[i].Confidence, concurrent[i].Confidence, 6);
        }
    }

    [Fact]
    public void CardSurvivesARoundTripThroughJson()
    {
        using var directory = new TemporaryDirectory();
        File.WriteAllText(directory.File("router.json"), fixture.Router.Card.ToJson());

        var loaded = RouterModelCard.Load(directory.File("router.json"));

        Assert.Equal(fixture.Router.Card.VersionId, loaded.VersionId);
        Assert.Equal(fixture.Router.Card.Labels, loaded.Labels);
        Assert.Equal(fixture.Router.Card.Training.DataSha256, loaded.Training.DataSha256);
        Assert.Equal(fixture.Router.Card.Certification.Intents.Select(i => i.Threshold), loaded.Certification.Intents.Select(i => i.Threshold));
        Assert.Equal(fixture.Router.Card.Validation, loaded.Validation);
        Assert.Equal(fixture.Router.Card.Onnx.Sha256, loaded.Onnx.Sha256);
        Assert.Equal(fixture.Router.Card.Features.Settings, loaded.Features.Settings);
    }

    [Fact]
    public void CardRecordsHowTheModelWasMadeAndWhatItPromises()
    {
        var card = fixture.Router.Card;

        Assert.Equal(SmallRouterFixture.Intents, card.Labels.Count);
        Assert.Equal(64, card.Training.DataSha256.Length);
        Assert.Equal(fixture.Train.Count, card.Training.Examples);
        Assert.NotEmpty(card.Training.HyperParameterSearch);
        Assert.Equal(0.98, card.Certification.TargetPrecision);
        Assert.True(card.Certification.HeldOutSamples == fixture.Train.Count);
        // Calibration is measured on held-out rows, and it calibrates: a small error, not worse than before it.
        var (before, after) = (card.Validation.ExpectedCalibrationErrorBefore, card.Validation.ExpectedCalibrationErrorAfter);
        Assert.True(after is > 0 and < 0.08, $"ECE after calibration {after:F4}");
        Assert.True(after <= before + 0.01, $"ECE {before:F4} before calibration, {after:F4} after");
        Assert.StartsWith("router-", card.VersionId);
    }

    [Fact]
    public void MissingFolderIsAClearError()
    {
        var error = Assert.Throws<RouterModelException>(() => OnnxIntentRouter.Load("/nonexistent/router"));

        Assert.Contains("/nonexistent/router", error.Message);
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void CorruptModelFileIsAClearError()
    {
        using var directory = CopyOfFixtureModel();
        var garbage = RandomNumberGenerator.GetBytes(4096);
        File.WriteAllBytes(directory.File("router.onnx"), garbage);
        RewriteCardSha(directory, garbage);

        var error = Assert.Throws<RouterModelException>(() => OnnxIntentRouter.Load(directory.Path));

        Assert.Contains("cannot be loaded", error.Message);
    }

    [Fact]
    public void ModelThatDoesNotMatchItsCardIsRejected()
    {
        using var directory = CopyOfFixtureModel();
        File.AppendAllText(directory.File("router.onnx"), "tampered");

        var error = Assert.Throws<RouterModelException>(() => OnnxIntentRouter.Load(directory.Path));

        Assert.Contains("does not match its card", error.Message);
    }

    [Fact]
    public void ModelWithTheWrongSignatureIsRejectedWithWhatWasFound()
    {
        using var directory = CopyOfFixtureModel();
        var g = new OnnxGraphBuilder("wrong");
        g.AddInput("ticket", DataType.String, "N");
        g.Identity("ticket", "echo");
        g.AddOutput("echo", DataType.String, "N");
        var bytes = g.ToModel(new Dictionary<string, string>(), (string.Empty, 21)).ToByteArray();
        File.WriteAllBytes(directory.File("router.onnx"), bytes);
        RewriteCardSha(directory, bytes);

        var error = Assert.Throws<RouterModelException>(() => OnnxIntentRouter.Load(directory.Path));

        Assert.Contains("ticket", error.Message);
        Assert.Contains("'text'", error.Message);
    }

    [Fact]
    public void CardThatIsNotJsonIsAClearError()
    {
        using var directory = CopyOfFixtureModel();
        File.WriteAllText(directory.File("router.json"), "{ not json");

        var error = Assert.Throws<RouterModelException>(() => OnnxIntentRouter.Load(directory.Path));

        Assert.Contains("not valid JSON", error.Message);
    }

    private TemporaryDirectory CopyOfFixtureModel()
    {
        var directory = new TemporaryDirectory();
        foreach (var file in Directory.GetFiles(fixture.ModelDirectory))
        {
            File.Copy(file, directory.File(Path.GetFileName(file)));
        }

        return directory;
    }

    private static void RewriteCardSha(TemporaryDirectory directory, byte[] onnx)
    {
        var card = RouterModelCard.Load(directory.File("router.json"));
        var rewritten = card with { Onnx = card.Onnx with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(onnx)) } };
        File.WriteAllText(directory.File("router.json"), JsonSerializer.Serialize(rewritten, RouterModelCard.JsonOptions));
    }
}
