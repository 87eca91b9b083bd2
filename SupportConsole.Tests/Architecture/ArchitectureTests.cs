using Mono.Cecil;
using SupportConsole.Engine.Pipeline;

namespace SupportConsole.Tests.Architecture;

/// <summary>
/// The direction of the house (docs/architecture.md): web and hosting -> features -> data -> engine, and no two folders
/// that use each other, in the app or in the engine. Read from the compiled assemblies, so a `using` that is not
/// used does not count and a fully qualified name does.
/// </summary>
public sealed class ArchitectureTests
{
    /// <summary>The web app, its hosting and the tools: they compose the features and nothing below may use them.</summary>
    private static readonly string[] WebAndHosting = ["Api", "Components", "Health", "Telemetry", "Hosting", "Operations", "Cli"];

    /// <summary>What the engine may never reference: it is a library of pure parts, composed by the app.</summary>
    private static readonly string[] ForbiddenInEngine = ["Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "Hangfire", "Npgsql", "MudBlazor", "Microsoft.Extensions.Hosting"];

    private static readonly Lazy<FolderDependencies> App = new(() => FolderDependencies.Of(typeof(Program).Assembly.Location, "SupportConsole"));

    private static readonly Lazy<FolderDependencies> Engine = new(() => FolderDependencies.Of(EngineAssembly, "SupportConsole.Engine"));

    private static string EngineAssembly => typeof(TicketPipeline).Assembly.Location;

    [Fact]
    public void NoTwoFoldersOfTheAppUseEachOther() =>
        AssertAcyclic(App.Value);

    [Fact]
    public void NoTwoFoldersOfTheEngineUseEachOther() =>
        AssertAcyclic(Engine.Value);

    [Fact]
    public void TheDataLayerUsesOnlyTheEngine()
    {
        var dependencies = App.Value;
        var wrong = dependencies.Edges.Where(e => e.From == "Data" && e.To != "Engine").Select(dependencies.Describe).ToList();
        Assert.True(wrong.Count == 0, "Data must use nothing of the app above it:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void NoFeatureUsesTheWebOrTheHosting()
    {
        var dependencies = App.Value;
        var wrong = dependencies.Edges.Where(e => !WebAndHosting.Contains(e.From) && WebAndHosting.Contains(e.To)).Select(dependencies.Describe).ToList();
        Assert.True(wrong.Count == 0, "features must not use the web or the hosting:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void TheEngineReferencesNoWebDatabaseOrJobLibrary()
    {
        using var engine = AssemblyDefinition.ReadAssembly(EngineAssembly);
        var references = engine.MainModule.AssemblyReferences.Select(r => r.Name).ToList();
        Assert.Contains("Microsoft.ML.OnnxRuntime", references);
        var wrong = references.Where(r => ForbiddenInEngine.Any(f => r.StartsWith(f, StringComparison.Ordinal))).ToList();
        Assert.True(wrong.Count == 0, "the engine references " + string.Join(", ", wrong));
    }

    [Fact]
    public void TheCycleFinderFindsACycleAndNamesItsEdges()
    {
        var graph = FolderDependencies.FromEdges(("Ingest", "Tickets"), ("Tickets", "Delivery"), ("Delivery", "Ingest"), ("Ingest", "Data"), ("Tickets", "Data"));
        var cycle = Assert.Single(graph.Cycles());
        Assert.Equal(["Delivery", "Ingest", "Tickets"], cycle);
        Assert.Equal(3, graph.DescribeCycle(cycle).Count());
        Assert.Empty(FolderDependencies.FromEdges(("Ingest", "Tickets"), ("Tickets", "Data"), ("Ingest", "Data")).Cycles());
    }

    [Fact]
    public void TheAppsFoldersAreReadFromItsCode()
    {
        // The reading itself: the app composes its features, and the flow's stages use what is below them.
        var edges = App.Value.Edges;
        Assert.Contains(("Hosting", "Ingest"), edges);
        Assert.Contains(("Ingest", "Routing"), edges);
        Assert.Contains(("Ingest", "Data"), edges);
        Assert.Contains(("Data", "Engine"), edges);
    }

    private static void AssertAcyclic(FolderDependencies dependencies)
    {
        var cycles = dependencies.Cycles();
        Assert.True(cycles.Count == 0, string.Join("\n\n", cycles.Select(c =>
            $"these folders use each other: {string.Join(", ", c)}\n  " + string.Join("\n  ", dependencies.DescribeCycle(c)))));
    }
}
