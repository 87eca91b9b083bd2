using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Drafting;
using SupportConsole.Engine.Gate;
using SupportConsole.Engine.Pipeline;

namespace SupportConsole.Ingest;

/// <summary>
/// Band policy, hard rules and templates as of the current policy version. The version and the gate settings come from
/// <see cref="SettingsStore.CurrentGateAsync"/> for every ticket (so a save applies to the next one); the rest is reloaded
/// only when the version moved.
/// </summary>
public sealed class PolicyCache(IDbContextFactory<SupportConsoleDbContext> contexts, SettingsStore settings)
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile PolicySnapshot? _snapshot;

    public async Task<PolicySnapshot> CurrentAsync(CancellationToken cancellationToken) =>
        (await CurrentWithRouterAsync(cancellationToken)).Policy;

    /// <summary>The policy as of now and the router version that must decide the next ticket.</summary>
    public async Task<(PolicySnapshot Policy, string? RouterVersion)> CurrentWithRouterAsync(CancellationToken cancellationToken)
    {
        var (gate, version, routerVersion) = await settings.CurrentGateAsync(contexts, cancellationToken);
        var snapshot = _snapshot;
        if (snapshot is null || snapshot.Version != version)
        {
            await _reload.WaitAsync(cancellationToken);
            try
            {
                snapshot = _snapshot;
                if (snapshot is null || snapshot.Version != version)
                {
                    await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                    snapshot = await LoadAsync(db, version, gate, cancellationToken);
                    _snapshot = snapshot;
                }
            }
            finally
            {
                _reload.Release();
            }
        }

        return (ReferenceEquals(snapshot.Gate, gate) ? snapshot : snapshot with { Gate = gate }, routerVersion);
    }

    private static async Task<PolicySnapshot> LoadAsync(SupportConsoleDbContext db, long version, GateSettings gate, CancellationToken cancellationToken)
    {
        var policies = await db.BandPolicies.AsNoTracking().ToListAsync(cancellationToken);
        // A safeguard applies whatever its switch says (it cannot be switched off, not even by editing the row).
        var rules = await db.HardRules.AsNoTracking().Where(r => r.Enabled || r.Safeguard).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        var templates = await db.ReplyTemplates.AsNoTracking().ToListAsync(cancellationToken);
        return new PolicySnapshot(
            version,
            policies.ToDictionary(p => p.Intent, p => new IntentPolicy(ToBand(p.Band), p.SuggestThreshold, p.AutoThreshold)),
            [.. rules.Select(r => new HardRuleDefinition(r.Id, r.Description, r.Kind,
                JsonSerializer.Deserialize<List<string>>(r.KeywordsJson) ?? [], r.MinimumAmount) { Priority = r.Priority, Safeguard = r.Safeguard })],
            templates.ToDictionary(t => t.Intent, t => new ReplyTemplateDefinition(t.Intent, t.ArticleId, t.SectionTitle, t.Greeting, t.Body,
                t.Closing, [.. (t.TransactionKinds ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)])),
            gate);
    }

    public static Band ToBand(ConfidenceBand band) => band switch
    {
        ConfidenceBand.Auto => Band.Auto,
        ConfidenceBand.Suggest => Band.Suggest,
        _ => Band.Escalate,
    };

    public static ConfidenceBand ToEntity(Band band) => band switch
    {
        Band.Auto => ConfidenceBand.Auto,
        Band.Suggest => ConfidenceBand.Suggest,
        _ => ConfidenceBand.Escalate,
    };
}
