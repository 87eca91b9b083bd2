using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Reporting;
using SupportConsole.Tickets;

namespace SupportConsole.Administration;

/// <summary>
/// Filters of the audit log; empty means no filter. The routing events every ticket has (received, routed) are left
/// out unless <see cref="IncludeRouting"/>: they would be most rows otherwise.
/// </summary>
public sealed record AuditFilter(string? Action = null, string? Actor = null, string? Entity = null, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    public bool IncludeRouting { get; init; }
}

/// <summary>Pages of the audit log, newest first, and its CSV export.</summary>
public sealed class AuditQueries(IDbContextFactory<SupportConsoleDbContext> contexts)
{
    /// <summary>At most this many events go into one export (a bounded read; narrow the dates for more).</summary>
    public const int MaxExportRows = 100_000;

    public async Task<(IReadOnlyList<AuditEvent> Rows, int Total)> PageAsync(AuditFilter filter, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = Filtered(db, filter);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(e => e.At).Skip(page * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return (rows, total);
    }

    public async Task<IReadOnlyList<string>> ActionsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.AuditEvents.Select(e => e.Action).Distinct().OrderBy(a => a).ToListAsync(cancellationToken);
    }

    /// <summary>The filtered log as a table (newest first), times in UTC and in <paramref name="zone"/>, details in words.</summary>
    public async Task<CsvTable> ExportAsync(AuditFilter filter, TimeZoneInfo zone, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await Filtered(db, filter).OrderByDescending(e => e.At).Take(MaxExportRows).ToListAsync(cancellationToken);
        return new CsvTable("audit-log", ["at_utc", "at_local", "who", "what", "action", "record_type", "record_id", "details"],
            [.. rows.Select(e =>
            {
                var description = AuditDescriptions.Describe(e);
                var local = TimeZoneInfo.ConvertTime(e.At, zone);
                return (IReadOnlyList<string>)
                [
                    e.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    local.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture),
                    e.Actor, description.What, e.Action, e.EntityType, e.EntityId, description.Details ?? string.Empty,
                ];
            })]);
    }

    private static IQueryable<AuditEvent> Filtered(SupportConsoleDbContext db, AuditFilter filter)
    {
        var query = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            query = query.Where(e => e.Action.StartsWith(filter.Action.Trim()));
        }
        else if (!filter.IncludeRouting)
        {
            var routing = AuditDescriptions.RoutingActions;
            query = query.Where(e => !routing.Contains(e.Action));
        }

        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            query = query.Where(e => e.Actor.Contains(filter.Actor.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(filter.Entity))
        {
            query = query.Where(e => e.EntityId.Contains(filter.Entity.Trim()) || e.EntityType == filter.Entity.Trim());
        }

        if (filter.From is { } from)
        {
            query = query.Where(e => e.At >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(e => e.At < to);
        }

        return query;
    }
}
