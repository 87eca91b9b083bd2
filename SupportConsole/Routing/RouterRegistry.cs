using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Changes;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Routing;
using SupportConsole.Engine.Routing.Cascade;

namespace SupportConsole.Routing;

/// <summary>A registry row without its ONNX bytes, as pages list it.</summary>
public sealed record RouterModelSummary(
    string VersionId,
    string Origin,
    RouterModelState State,
    DateTimeOffset CreatedAt,
    int TrainingRows,
    double? HeldOutAccuracy,
    double? HeldOutCertifiedCoverage,
    string? DecisionReason,
    DateTimeOffset? ActivatedAt,
    string? ActivatedBy,
    string? ShadowReportJson);

/// <summary>
/// Every router version the installation has had, with its card and ONNX file in the database, and the one that is
/// active. The active version is a settings row read with the gate settings for every ticket, so a promotion or a
/// rollback applies to the next ticket on every instance, without a restart. Loaded versions are kept (one
/// router each, never one per ticket); files are materialised under the state folder. A version's files (stage 1's
/// graph, and stage 2's file for a cascade) are one blob in the database (<see cref="RouterModelPackage"/>).
/// </summary>
public sealed class RouterRegistry(
    IDbContextFactory<SupportConsoleDbContext> contexts,
    ShippedRouterBuilder shippedRouter,
    EncoderProvider encoders,
    IOptions<DatabaseOptions> database,
    SettingsStore settings,
    ChangeFeed changes,
    TimeProvider clock,
    ILogger<RouterRegistry> logger) : IDisposable
{
    public const string ShippedOrigin = "shipped";
    public const string RetrainedOrigin = "retrained";

    private readonly ConcurrentDictionary<string, Lazy<Task<IIntentRouter>>> _loaded = new(StringComparer.Ordinal);
    private volatile IIntentRouter? _active;

    /// <summary>The router that decides new tickets on this instance.</summary>
    public IIntentRouter Active => _active ?? throw new InvalidOperationException("the router registry has not been initialised yet");

    public string ActiveVersion => Active.Card.VersionId;


    /// <summary>
    /// Registers the shipped model if it is new (building it from its committed card and training data on the first
    /// start, see <see cref="ShippedRouterBuilder"/>), makes sure a version is active and loads it.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var committed = shippedRouter.CommittedCard();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var activeRow = await db.Settings.FirstOrDefaultAsync(s => s.Key == SettingKeys.ActiveRouterVersion, cancellationToken);
        var known = await db.RouterModels.AnyAsync(m => m.VersionId == committed.VersionId, cancellationToken);
        var activeOrigin = activeRow is null
            ? null
            : await db.RouterModels.Where(m => m.VersionId == activeRow.Value).Select(m => m.Origin).FirstOrDefaultAsync(cancellationToken);

        // A new bundled model replaces an older bundled one (an upgrade of the app); a retrained model stays active.
        var activateShipped = activeRow is null || activeOrigin is null || (activeOrigin == ShippedOrigin && activeRow.Value != committed.VersionId);
        if (!known)
        {
            var directory = await shippedRouter.EnsureBuiltAsync(null, cancellationToken);
            var card = RouterModelCard.Load(Path.Combine(directory, RouterModelCard.CardFileName));
            var bytes = RouterModelPackage.Pack(directory, card);
            db.RouterModels.Add(ToRow(card, bytes.LongLength, ShippedOrigin, activateShipped ? RouterModelState.Active : RouterModelState.Candidate, null));
            db.RouterModelFiles.Add(new RouterModelFile { VersionId = card.VersionId, Content = bytes });
        }

        if (activateShipped)
        {
            await SetActiveAsync(db, activeRow, committed.VersionId, "system:startup", "bundled model", cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        var activeVersion = activateShipped ? committed.VersionId : activeRow!.Value;
        _active = await LoadAsync(activeVersion, cancellationToken);
        logger.LogInformation("Router {Version} is active", activeVersion);
    }

    /// <summary>The router of <paramref name="version"/> (loaded once); the active one when null.</summary>
    public async Task<IIntentRouter> ResolveAsync(string? version, CancellationToken cancellationToken)
    {
        var active = _active;
        if (version is null || (active is not null && active.Card.VersionId == version))
        {
            return Active;
        }

        var router = await LoadAsync(version, cancellationToken);
        if (_active?.Card.VersionId != version)
        {
            _active = router;
            logger.LogInformation("Router {Version} is now active on this instance", version);
            changes.Raise(RouterTopics.Activated, version);
        }

        return router;
    }

    /// <summary>A registered version, loaded (for shadow evaluation or activation).</summary>
    public async Task<IIntentRouter> LoadAsync(string version, CancellationToken cancellationToken)
    {
        var lazy = _loaded.GetOrAdd(version, v => new Lazy<Task<IIntentRouter>>(() => MaterialiseAsync(v, CancellationToken.None)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            _loaded.TryRemove(new KeyValuePair<string, Lazy<Task<IIntentRouter>>>(version, lazy));
            throw;
        }
    }

    /// <summary>Stores a trained router as a new version (not active); returns its row.</summary>
    public async Task<RouterModelVersion> RegisterAsync(string directory, string origin, RouterModelState state, Guid? jobRunId,
        CancellationToken cancellationToken)
    {
        var card = RouterModelCard.Load(Path.Combine(directory, RouterModelCard.CardFileName));
        var bytes = RouterModelPackage.Pack(directory, card);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var existing = await db.RouterModels.FirstOrDefaultAsync(m => m.VersionId == card.VersionId, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var row = ToRow(card, bytes.LongLength, origin, state, jobRunId);
        db.RouterModels.Add(row);
        db.RouterModelFiles.Add(new RouterModelFile { VersionId = card.VersionId, Content = bytes });
        db.AuditEvents.Add(AuditEvent.Record(clock.GetUtcNow(), "job:router-retrain", "router.registered", "router-model", card.VersionId,
            JsonSerializer.Serialize(new { origin, state = state.ToString(), examples = card.Training.Examples })));
        await db.SaveChangesAsync(cancellationToken);
        return row;
    }

    /// <summary>
    /// Makes <paramref name="version"/> the active router for the next ticket on every instance (promotion or rollback);
    /// the previous one is retired. Audited with who and why.
    /// </summary>
    public async Task ActivateAsync(string version, string actor, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("a reason is required to change the active router", nameof(reason));
        }

        var router = await LoadAsync(version, cancellationToken);
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var row = await db.Settings.FirstOrDefaultAsync(s => s.Key == SettingKeys.ActiveRouterVersion, cancellationToken);
            await SetActiveAsync(db, row, version, actor, reason.Trim(), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        _active = router;
        changes.Publish(RouterTopics.Activated, version);
    }

    /// <summary>Marks a candidate rejected, keeping why.</summary>
    public async Task RejectAsync(string version, string reason, string? shadowReportJson, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.RouterModels.SingleAsync(m => m.VersionId == version, cancellationToken);
        row.State = RouterModelState.Rejected;
        row.DecisionReason = reason;
        row.ShadowReportJson = shadowReportJson ?? row.ShadowReportJson;
        db.AuditEvents.Add(AuditEvent.Record(clock.GetUtcNow(), "job:router-retrain", "router.rejected", "router-model", version,
            JsonSerializer.Serialize(new { reason })));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Stores the shadow report and the promotion reason on a version.</summary>
    public async Task RecordDecisionAsync(string version, string reason, string shadowReportJson, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.RouterModels.Where(m => m.VersionId == version)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.DecisionReason, reason).SetProperty(m => m.ShadowReportJson, shadowReportJson), cancellationToken);
    }

    public async Task<IReadOnlyList<RouterModelSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.RouterModels.AsNoTracking()
            .Select(m => new RouterModelSummary(m.VersionId, m.Origin, m.State, m.CreatedAt, m.TrainingRows, m.HeldOutAccuracy,
                m.HeldOutCertifiedCoverage, m.DecisionReason, m.ActivatedAt, m.ActivatedBy, m.ShadowReportJson))
            .ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(r => r.CreatedAt)];
    }

    public void Dispose()
    {
        foreach (var lazy in _loaded.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully))
        {
            (lazy.Value.Result as IDisposable)?.Dispose();
        }
    }

    private async Task SetActiveAsync(SupportConsoleDbContext db, Setting? row, string version, string actor, string reason,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var previous = row?.Value;
        if (row is null)
        {
            db.Settings.Add(new Setting { Key = SettingKeys.ActiveRouterVersion, Value = version, UpdatedAt = now, UpdatedBy = actor, Reason = reason });
            db.AuditEvents.Add(AuditEvent.Record(now, actor, "setting.changed", "setting", SettingKeys.ActiveRouterVersion,
                JsonSerializer.Serialize(new { before = (string?)null, after = version, reason })));
        }
        else if (previous != version)
        {
            settings.Write(db, row, version, actor, reason);
        }

        foreach (var model in await db.RouterModels.Where(m => m.State == RouterModelState.Active && m.VersionId != version).ToListAsync(cancellationToken))
        {
            model.State = RouterModelState.Retired;
        }

        var target = db.RouterModels.Local.FirstOrDefault(m => m.VersionId == version)
            ?? await db.RouterModels.FirstOrDefaultAsync(m => m.VersionId == version, cancellationToken)
            ?? throw new ArgumentException($"router version {version} is not in the registry", nameof(version));
        target.State = RouterModelState.Active;
        target.ActivatedAt = now;
        target.ActivatedBy = actor;
        if (previous != version)
        {
            db.AuditEvents.Add(AuditEvent.Record(now, actor, "router.activated", "router-model", version,
                JsonSerializer.Serialize(new { previous, reason })));
        }
    }

    /// <summary>Writes the version's files under the state folder (once) and loads them.</summary>
    private async Task<IIntentRouter> MaterialiseAsync(string version, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(database.Value.ResolveDataDirectory(), "models", "router", SafeName(version));
        if (!File.Exists(Path.Combine(directory, RouterModelCard.CardFileName)))
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var row = await db.RouterModels.AsNoTracking().FirstOrDefaultAsync(m => m.VersionId == version, cancellationToken)
                ?? throw new RouterModelException($"router version {version} is not in the registry");
            var file = await db.RouterModelFiles.AsNoTracking().FirstOrDefaultAsync(f => f.VersionId == version, cancellationToken)
                ?? throw new RouterModelException($"router version {version} has no ONNX file in the registry");
            var staging = directory + ".staging-" + Guid.NewGuid().ToString("N")[..8];
            Directory.CreateDirectory(staging);
            RouterModelPackage.Unpack(file.Content, staging);
            await File.WriteAllTextAsync(Path.Combine(staging, RouterModelCard.CardFileName), row.CardJson, cancellationToken);
            try
            {
                Directory.Move(staging, directory);
            }
            catch (IOException) when (Directory.Exists(directory))
            {
                // Another loader (or instance sharing the folder) got there first; its copy is the same bytes.
                Directory.Delete(staging, recursive: true);
            }
        }

        return RouterLoader.Load(directory, () => encoders.Encoder);
    }

    private RouterModelVersion ToRow(RouterModelCard card, long onnxBytes, string origin, RouterModelState state, Guid? jobRunId) => new()
    {
        VersionId = card.VersionId,
        Origin = origin,
        State = state,
        CreatedAt = clock.GetUtcNow(),
        CardJson = card.ToJson(),
        OnnxSha256 = card.Onnx.Sha256,
        OnnxBytes = onnxBytes,
        TrainingRows = card.Training.Examples,
        TrainingDataHash = card.Training.DataSha256,
        HeldOutAccuracy = card.Validation.Accuracy,
        HeldOutCertifiedCoverage = card.Validation.CertifiedCoverage,
        JobRunId = jobRunId,
    };

    private static string SafeName(string version) =>
        new([.. version.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);

    /// <summary>SHA-256 of a file's bytes, lower-case hex.</summary>
    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}

/// <summary>Router versions on the <see cref="ChangeFeed"/>: raised on each instance when its active version changed (promotion, rollback, or another instance's change followed here).</summary>
public static class RouterTopics
{
    public static readonly ChangeTopic<string> Activated = new("router", version => version);
}

/// <summary>Another instance activated a router version: it is loaded here (the gate's cached settings are already stale: the save was announced).</summary>
internal sealed class RouterFollower(RouterRegistry routers) : IChangeFollower
{
    public string Topic => RouterTopics.Activated.Name;

    public Task FollowAsync(string payload, CancellationToken cancellationToken) => routers.ResolveAsync(payload, cancellationToken);
}
