using SupportConsole.Engine.Encoders;
using SupportConsole.Engine.Routing;
using SupportConsole.Engine.Routing.Cascade;

namespace SupportConsole.Tests.TestSupport;

/// <summary>
/// A two-stage router trained once on the 12-intent BANKING77 slice with the real encoder (from its NuGet package),
/// its embeddings in a cache of its own, written to disk and loaded back.
/// </summary>
public sealed class SmallCascadeFixture : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public SmallCascadeFixture()
    {
        var small = new SmallRouterFixtureData(perIntent: 150);
        Train = small.Train;
        Test = small.Test;
        Cache = EmbeddingCache.Open(CacheDirectory, TestModels.Encoder.VersionId, TestModels.Encoder.Dimensions);
        Trained = new CascadeTrainer(Settings).Train(Train, "banking77 slice", TestModels.Encoder, Cache);
        Trained.WriteTo(ModelDirectory);
        Router = CascadeRouter.Load(ModelDirectory, TestModels.Encoder);
    }

    /// <summary>
    /// Open-set folds on (five folds: each leaves two or three of the 12 intents out), and a looser open-set limit than
    /// the shipped default, so that on 720 rows stage 1 still certifies some tickets alone.
    /// </summary>
    public static CascadeTrainingSettings Settings { get; } = new()
    {
        StageOne = SmallRouterFixture.Settings with
        {
            LeaveEachIntentOutOnce = true,
            Folds = 5,
            Certification = SmallRouterFixture.Settings.Certification with { TargetPrecision = 0.95, MaxOpenSetCertifiedRate = 0.2 },
        },
    };

    public IReadOnlyList<LabelledText> Train { get; }

    public IReadOnlyList<LabelledText> Test { get; }

    public TrainedCascade Trained { get; }

    public CascadeRouter Router { get; }

    public EmbeddingCache Cache { get; }

    public string ModelDirectory => Path.Combine(_directory.Path, "model");

    public string CacheDirectory => Path.Combine(_directory.Path, "cache");

    public void Dispose()
    {
        Router.Dispose();
        _directory.Dispose();
    }
}

/// <summary>The 12 intents of <see cref="SmallRouterFixture"/> (up to <c>perIntent</c> training rows each) without training anything.</summary>
public sealed class SmallRouterFixtureData
{
    public SmallRouterFixtureData(int perIntent)
    {
        var all = LabelledTicketCsv.Read(RepositoryPaths.Banking77Train, requireCategory: true);
        var intents = all.Select(e => e.Category!).Distinct().Order(StringComparer.Ordinal).Take(SmallRouterFixture.Intents).ToHashSet();
        Train = [.. all.Where(e => intents.Contains(e.Category!)).GroupBy(e => e.Category).SelectMany(g => g.Take(perIntent))];
        Test = [.. LabelledTicketCsv.Read(RepositoryPaths.Banking77Test, requireCategory: true).Where(e => intents.Contains(e.Category!))];
    }

    public IReadOnlyList<LabelledText> Train { get; }

    public IReadOnlyList<LabelledText> Test { get; }
}

[CollectionDefinition(Name)]
public sealed class SmallCascadeCollection : ICollectionFixture<SmallCascadeFixture>
{
    public const string Name = "small cascade";
}
