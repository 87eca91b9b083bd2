using Microsoft.EntityFrameworkCore;
using SupportConsole.Changes;
using SupportConsole.Data;
using SupportConsole.Identity;

namespace SupportConsole.Administration;

/// <summary>The kill switch as the UI shows it: engaged or not, and who flipped it, when and why.</summary>
public sealed record KillSwitchState(bool Engaged, string? ChangedBy, DateTimeOffset? ChangedAt, string? Reason);

/// <summary>
/// Flips the kill switch (auto-resolve off: everything becomes suggest-only) and tells every open browser, on every
/// instance. The gate reads the switch from the database for every ticket, so a flip applies to the very next one.
/// </summary>
public sealed class KillSwitch(IDbContextFactory<SupportConsoleDbContext> contexts, SettingsStore settings, ChangeFeed changes, ILogger<KillSwitch> logger)
{
    private KillSwitchState? _current;

    public async Task<KillSwitchState> CurrentAsync(CancellationToken cancellationToken = default)
    {
        if (_current is { } cached)
        {
            return cached;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Settings.AsNoTracking().SingleAsync(s => s.Key == SettingKeys.KillSwitch, cancellationToken);
        return _current = new KillSwitchState(row.Value == "on", row.UpdatedBy, row.UpdatedAt, row.Reason);
    }

    /// <summary>Engages or releases the switch (admins, or the installation itself); a reason is required and the flip is audited and logged.</summary>
    public async Task<KillSwitchState> SetAsync(bool engaged, ConsoleActor actor, string reason, CancellationToken cancellationToken = default)
    {
        actor.Require(Roles.Admin, "flip the kill switch");
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("a reason is required to flip the kill switch", nameof(reason));
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Settings.SingleAsync(s => s.Key == SettingKeys.KillSwitch, cancellationToken);
        settings.Write(db, row, engaged ? "on" : "off", actor.Name, reason.Trim());
        await db.SaveChangesAsync(cancellationToken);
        logger.LogWarning("Kill switch {State} by {Actor}: {Reason}", engaged ? "engaged" : "released", actor.Name, reason.Trim());
        var state = new KillSwitchState(engaged, actor.Name, row.UpdatedAt, row.Reason);
        _current = state;
        changes.Publish(KillSwitchTopics.Flipped, state);
        return state;
    }

    /// <summary>Another instance flipped the switch: read it again and tell this instance's pages.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        _current = null;
        var state = await CurrentAsync(cancellationToken);
        changes.Raise(KillSwitchTopics.Flipped, state);
    }
}

/// <summary>The kill switch on the <see cref="ChangeFeed"/>: every banner and indicator, on every instance, shows a flip at once.</summary>
public static class KillSwitchTopics
{
    public static readonly ChangeTopic<KillSwitchState> Flipped = new("kill-switch", state => state.Engaged ? "on" : "off");
}

/// <summary>
/// Another instance flipped the switch: it is read again and this instance's pages are told. (The gate's cached settings
/// are already stale: the flip's save was announced as a change of settings.)
/// </summary>
internal sealed class KillSwitchFollower(KillSwitch killSwitch) : IChangeFollower
{
    public string Topic => KillSwitchTopics.Flipped.Name;

    public Task FollowAsync(string payload, CancellationToken cancellationToken) => killSwitch.RefreshAsync(cancellationToken);
}
