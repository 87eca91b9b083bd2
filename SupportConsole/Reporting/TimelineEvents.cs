using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;

namespace SupportConsole.Reporting;

/// <summary>Something that explains why a dashboard line moved: the kill switch, a router change, an evaluation alert.</summary>
public sealed record TimelineEvent(DateTimeOffset At, string Kind, string Label)
{
    public const string KillSwitchEngaged = "kill-switch-engaged";
    public const string KillSwitchReleased = "kill-switch-released";
    public const string RouterPromoted = "router-promoted";
    public const string RouterRolledBack = "router-rolled-back";
    public const string EvaluationAlert = "evaluation-alert";

    /// <summary>Dark enough for white label text (WCAG AA, 4.5:1 or more).</summary>
    public static string ColorOf(string kind) => kind switch
    {
        KillSwitchEngaged => "#b71c1c",
        KillSwitchReleased => "#1b5e20",
        RouterPromoted => "#0d47a1",
        RouterRolledBack => "#4a148c",
        _ => "#8d3b00",
    };
}

/// <summary>
/// The events the dashboards annotate, read from the audit log (kill switch flips, router activations: promoted by a
/// retraining, or rolled back by a person) and the evaluation runs (alerts), over UTC days, both ends included.
/// </summary>
public sealed class TimelineEvents(IDbContextFactory<SupportConsoleDbContext> contexts)
{
    /// <summary>More than this many in a range are not drawn (a busy range would be a wall of lines); the latest are kept.</summary>
    public const int MaxEvents = 50;

    public async Task<IReadOnlyList<TimelineEvent>> BetweenAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // SQLite compares DateTimeOffset as text: filter the small audit subset by action in SQL, by time here.
        var audits = await db.AuditEvents.AsNoTracking()
            .Where(a => (a.Action == "setting.changed" && a.EntityId == SettingKeys.KillSwitch) || a.Action == "router.activated")
            .Select(a => new { a.At, a.Action, a.Actor, a.EntityId, a.DetailsJson })
            .ToListAsync(cancellationToken);
        var alerts = await db.EvaluationRuns.AsNoTracking().Where(r => r.AlertRaised)
            .Select(r => new { r.FinishedAt, r.AlertReason }).ToListAsync(cancellationToken);

        var events = new List<TimelineEvent>();
        foreach (var a in audits.Where(a => a.At >= start && a.At < end))
        {
            if (a.Action == "router.activated")
            {
                // A retraining promotes; a person (an admin on Router models) rolls back; the start-up's bundled model is neither.
                if (a.Actor.StartsWith("job:", StringComparison.Ordinal))
                {
                    events.Add(new TimelineEvent(a.At, TimelineEvent.RouterPromoted, "Router promoted"));
                }
                else if (!a.Actor.StartsWith("system:", StringComparison.Ordinal))
                {
                    events.Add(new TimelineEvent(a.At, TimelineEvent.RouterRolledBack, $"Router rolled back by {a.Actor}"));
                }
            }
            else if (Flip(a.DetailsJson) is { } value)
            {
                var engaged = value == "on";
                events.Add(new TimelineEvent(a.At, engaged ? TimelineEvent.KillSwitchEngaged : TimelineEvent.KillSwitchReleased,
                    engaged ? "Kill switch engaged" : "Kill switch released"));
            }
        }

        events.AddRange(alerts.Where(r => r.FinishedAt >= start && r.FinishedAt < end)
            .Select(r => new TimelineEvent(r.FinishedAt, TimelineEvent.EvaluationAlert, "Evaluation alert")));
        return [.. events.OrderBy(e => e.At).TakeLast(MaxEvents)];
    }

    /// <summary>The switch's new value when the change flipped it (a save of the same value is no event).</summary>
    private static string? Flip(string? detailsJson)
    {
        if (detailsJson is null)
        {
            return null;
        }

        using var details = JsonDocument.Parse(detailsJson);
        string? Read(string name) => details.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var after = Read("after");
        return after is not null && after != Read("before") ? after : null;
    }
}
