using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupportConsole.Data;
using SupportConsole.Engine.Encoders;
using SupportConsole.Engine.Routing;
using SupportConsole.Engine.Routing.Cascade;
using SupportConsole.Routing;

namespace SupportConsole.Tests.TestSupport;

/// <summary>
/// The shipped router for tests, built once from its committed card (as the app's first start does) into one model
/// cache that every test, in this process or a child process, shares: <c>var/test-model-cache</c> in the repository
/// unless <c>Models__CacheDirectory</c> says otherwise (scripts/test.sh builds it before the tests run).
/// </summary>
public static class TestModels
{
    public const string CacheVariable = "Models__CacheDirectory";

    private static readonly Lazy<string> Built = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<SentenceEncoder> SharedEncoder = new(
        () => EncoderProvider.Load(new ModelOptions()), LazyThreadSafetyMode.ExecutionAndPublication);

    public static string CacheDirectory => Environment.GetEnvironmentVariable(CacheVariable)!;

    /// <summary>The folder of the built shipped router (router.json, router.onnx, cascade.bin).</summary>
    public static string ShippedRouterDirectory => Built.Value;

    /// <summary>The encoder of the test process (one session for all tests).</summary>
    public static SentenceEncoder Encoder => SharedEncoder.Value;

    /// <summary>Loads the shipped router; the caller disposes it.</summary>
    public static IIntentRouter LoadShippedRouter() => RouterLoader.Load(ShippedRouterDirectory, () => Encoder);

    [ModuleInitializer]
    internal static void UseOneCache()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(CacheVariable)))
        {
            Environment.SetEnvironmentVariable(CacheVariable, Path.Combine(RepositoryPaths.Root, "var", "test-model-cache"));
        }
    }

    private static string Build()
    {
        var models = Options.Create(new ModelOptions
        {
            CacheDirectory = CacheDirectory,
            RouterDirectory = RepositoryPaths.ShippedRouter,
            RouterTrainingData = RepositoryPaths.Banking77Train,
        });
        var builder = new ShippedRouterBuilder(models, Options.Create(new DatabaseOptions()), new EncoderProvider(models),
            NullLogger<ShippedRouterBuilder>.Instance);
        return builder.EnsureBuiltAsync(null, CancellationToken.None).GetAwaiter().GetResult();
    }
}
