using Microsoft.Extensions.Options;
using SupportConsole.Data;
using SupportConsole.Engine.Encoders;
using SupportConsole.Engine.Routing;
using SupportConsole.Engine.Routing.Cascade;

namespace SupportConsole.Routing;

/// <summary>
/// Produces the shipped router from committed inputs: the card in <c>models/router</c> (no model binary is committed),
/// the training data and the encoder package. The first start (or <c>router build-shipped</c>) trains it once, with its
/// progress in the log, checks it against the card's SHA-256s (<see cref="CascadeReproduction"/>) and keeps it in the
/// model cache; later starts, and every process sharing the cache folder, find it there.
/// </summary>
public sealed class ShippedRouterBuilder(
    IOptions<ModelOptions> models,
    IOptions<DatabaseOptions> database,
    EncoderProvider encoders,
    ILogger<ShippedRouterBuilder> logger)
{
    public string CacheDirectory => models.Value.ResolveCacheDirectory(database.Value.ResolveDataDirectory());

    /// <summary>The committed card of the shipped router.</summary>
    public RouterModelCard CommittedCard() =>
        RouterModelCard.Load(Path.Combine(AppPaths.Bundled(models.Value.RouterDirectory), RouterModelCard.CardFileName));

    /// <summary>The folder holding the shipped router's files (built now if no process built it before).</summary>
    public async Task<string> EnsureBuiltAsync(IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var bundled = AppPaths.Bundled(models.Value.RouterDirectory);
        var committed = CommittedCard();
        if (committed.Cascade is null)
        {
            // A stage-1-only router ships as files next to its card.
            return bundled;
        }

        var directory = Path.Combine(CacheDirectory, "shipped", SafeName(committed.VersionId));
        if (IsBuilt(directory))
        {
            return directory;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
        await using var buildLock = await BuildLock.AcquireAsync(directory + ".lock", TimeSpan.FromMinutes(models.Value.BuildWaitMinutes),
            () => logger.LogInformation("Waiting for another process that is building router {Version}", committed.VersionId), cancellationToken);
        if (IsBuilt(directory))
        {
            return directory;
        }

        var report = new LogProgress(logger, progress);
        report.Report($"building router {committed.VersionId} from {models.Value.RouterTrainingData} (first start: stage 1, the encoder's embeddings, stage 2)");
        var examples = LabelledTicketCsv.Read(AppPaths.Bundled(models.Value.RouterTrainingData), requireCategory: true);
        var encoder = encoders.Encoder;
        var cache = EmbeddingCache.Open(Path.Combine(CacheDirectory, "embeddings"), encoder.VersionId, encoder.Dimensions);
        var staging = directory + ".staging-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var result = await Task.Run(() => CascadeReproduction.Reproduce(committed, examples, encoder, cache, staging, report, cancellationToken), cancellationToken);
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            Directory.Move(staging, directory);
            report.Report(result.StageTwoIdentical
                ? $"router {committed.VersionId} built in {result.Timings?.TotalSeconds:F0} s: both stages match the card's SHA-256"
                : $"router {committed.VersionId} built in {result.Timings?.TotalSeconds:F0} s: stage 1 matches the card's SHA-256; stage 2 differs in the "
                  + $"last bits ({result.StageTwoSha256[..12]}... against {result.ReferenceSha256[..12]}...), within tolerance: {string.Join("; ", result.Differences.Take(5))}");
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        return directory;
    }

    private static bool IsBuilt(string directory) => File.Exists(Path.Combine(directory, RouterModelCard.CardFileName));

    private static string SafeName(string version) =>
        new([.. version.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);

    private sealed class LogProgress(ILogger logger, IProgress<string>? progress) : IProgress<string>
    {
        public void Report(string value)
        {
            logger.LogInformation("Router build: {Message}", value);
            progress?.Report(value);
        }
    }
}

/// <summary>A lock file held open exclusively: one process at a time builds in a cache folder; the others wait, bounded.</summary>
public sealed class BuildLock : IAsyncDisposable
{
    private readonly FileStream _stream;

    private BuildLock(FileStream stream) => _stream = stream;

    public static async Task<BuildLock> AcquireAsync(string path, TimeSpan wait, Action onWaiting, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + wait;
        var told = false;
        while (true)
        {
            try
            {
                return new BuildLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                if (!told)
                {
                    onWaiting();
                    told = true;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
