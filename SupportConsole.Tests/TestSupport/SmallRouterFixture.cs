using SupportConsole.Engine.Routing;
using SupportConsole.Engine.Routing.Calibration;
using SupportConsole.Engine.Routing.Training;

namespace SupportConsole.Tests.TestSupport;

/// <summary>
/// A router trained once on a slice of BANKING77 (12 intents), written to disk and loaded through ONNX Runtime.
/// Small enough to train in seconds, real enough for parity and behaviour tests.
/// </summary>
public sealed class SmallRouterFixture : IDisposable
{
    public const int Intents = 12;

    private readonly TemporaryDirectory _directory = new();

    public SmallRouterFixture()
    {
        var all = LabelledTicketCsv.Read(RepositoryPaths.Banking77Train, requireCategory: true);
        var intents = all.Select(e => e.Category!).Distinct().Order(StringComparer.Ordinal).Take(Intents).ToHashSet();
        Train = [.. all.Where(e => intents.Contains(e.Category!)).GroupBy(e => e.Category).SelectMany(g => g.Take(60))];
        Test = [.. LabelledTicketCsv.Read(RepositoryPaths.Banking77Test, requireCategory: true).Where(e => intents.Contains(e.Category!))];
        Trained = new RouterTrainer(Settings).Train(Train, "banking77 slice");
        Trained.WriteTo(_directory.Path);
        Router = OnnxIntentRouter.Load(_directory.Path);
    }

    public static RouterTrainingSettings Settings { get; } = new()
    {
        Folds = 3,
        L2Grid = [1e-4, 1e-5],
        Network = new HiddenLayerSettings { Hidden = 32, MaxEpochs = 6 },
        Certification = new CertificationSettings { MinIntentSamples = 10 },

        // The graph and calibration tests want every intent in every fold; the cascade fixture turns open-set folds on.
        LeaveEachIntentOutOnce = false,
    };

    public IReadOnlyList<LabelledText> Train { get; }

    public IReadOnlyList<LabelledText> Test { get; }

    public TrainedRouter Trained { get; }

    public OnnxIntentRouter Router { get; }

    public string ModelDirectory => _directory.Path;

    public void Dispose()
    {
        Router.Dispose();
        _directory.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class SmallRouterCollection : ICollectionFixture<SmallRouterFixture>
{
    public const string Name = "small router";
}
