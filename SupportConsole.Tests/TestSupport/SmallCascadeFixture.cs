using SupportConsole.Engine.Encoders;
using SupportConsole.Engine.Routing;
using SupportConsole.Engine.Routing.Cascade;
using SupportConsole.Engine.Routing.Training;

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
        var small = new SmallRouterFixtureData();
        Train = small.Train;
        Test = small.Test;
        Cache = EmbeddingCache.Open(CacheDirectory, TestModels.Encoder.VersionId, TestModels.Encoder.Dimensions);
        Trained = new CascadeTrainer(Settings).Train(Train, "banking77 slice", TestModels.Encoder, Cache);
        Trained.WriteTo(ModelDirectory);
        Router = CascadeRouter.Load(ModelDirectory, TestModels.Encoder);
    }

    public static CascadeTrainingSettings Settings { get; } = new() { StageOne = SmallRouterFixture.Settings };

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

/// <summary>The 12-intent slice of <see cref="SmallRouterFixture"/> without training anything.</summary>
public sealed class SmallRouterFixtureData
{
    public SmallRouterFixtureData()
    {
        var all = LabelledTicketCsv.Read(RepositoryPaths.Banking77Train, requireCategory: true);
        var intents = all.Select(e => e.Category!).Distinct().Order(StringComparer.Ordinal).Take(SmallRouterFixture.Intents).ToHashSet();
        Train = [.. all.Where(e => intents.Contains(e.Category!)).GroupBy(e => e.Category).SelectMany(g => g.Take(60))];
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
