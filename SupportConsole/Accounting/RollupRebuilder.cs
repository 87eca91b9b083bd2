using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Drafting;

namespace SupportConsole.Accounting;

/// <summary>What a rebuild did.</summary>
public sealed record RollupRebuildReport(int Tickets, int Receipts, int RollupRows, int BackfilledTickets, int BackfilledDrafts, double Seconds);

/// <summary>
/// Rebuilds every rollup from the fact tables, in C# with the same contributions as the live path, in one transaction
/// (writers wait; readers keep the old rows until it commits). Runs at start-up when the rollups are missing or of an
/// older rollup version (a settings row), and on demand (<c>reports rebuild</c>). Facts that older versions did not
/// record (first response, the verdict on a draft) are backfilled first from what they did record.
/// </summary>
public sealed class RollupRebuilder(IDbContextFactory<SupportConsoleDbContext> contexts, TimeProvider clock, ILogger<RollupRebuilder> logger)
{
    /// <summary>Bump when the rollups' shape or meaning changes: the next start-up rebuilds them.</summary>
    public const int RollupVersion = 1;

    public const string VersionSetting = "reports.rollup_version";

    private const int TicketsPerPage = 5_000;

    public async Task<RollupRebuildReport?> EnsureCurrentAsync(CancellationToken cancellationToken = default)
    {
        bool legacy;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var version = await db.Settings.AsNoTracking().Where(s => s.Key == VersionSetting).Select(s => s.Value).FirstOrDefaultAsync(cancellationToken);
            if (version == RollupVersion.ToString(CultureInfo.InvariantCulture))
            {
                return null;
            }

            // No version at all: a database from before cost reporting, whose missing facts are backfilled once.
            legacy = version is null;
        }

        var report = await RebuildAsync("system:rollup-upgrade", legacy, cancellationToken);
        logger.LogInformation("Rebuilt the reporting rollups (version {Version}): {Tickets} tickets, {Rows} rows in {Seconds} s",
            RollupVersion, report.Tickets, report.RollupRows, report.Seconds);
        return report;
    }

    public async Task<RollupRebuildReport> RebuildAsync(string actor, bool backfill = false, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.StartNew();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (backfilledTickets, backfilledDrafts) = backfill ? await BackfillAsync(db, cancellationToken) : (0, 0);

        await db.DailyStageCosts.ExecuteDeleteAsync(cancellationToken);
        await db.DailyIntentStats.ExecuteDeleteAsync(cancellationToken);
        await db.DailyReasonCounts.ExecuteDeleteAsync(cancellationToken);
        await db.DailyCustomerStats.ExecuteDeleteAsync(cancellationToken);
        await db.DailyResponseTimes.ExecuteDeleteAsync(cancellationToken);

        var rows = new List<object>();
        var tickets = 0;
        var receipts = 0;
        for (var page = 0; ; page++)
        {
            var batch = await db.Tickets.AsNoTracking()
                .Where(t => t.DecidedAt != null && t.Decision != null)
                .OrderBy(t => t.Id)
                .Skip(page * TicketsPerPage).Take(TicketsPerPage)
                .Select(t => new { t.Id, t.Channel, t.CustomerId, t.IngestedAt, t.FirstResponseAt })
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            // Every decision of these tickets (a follow-up's routing supersedes the one before; all of them cost), their
            // drafts (the verdict counts under the decision the draft was written for) and receipts.
            var ids = batch.Select(t => t.Id).ToList();
            var decisions = (await db.Decisions.IgnoreQueryFilters().AsNoTracking().Where(d => ids.Contains(d.TicketId))
                    .Select(d => new { d.Id, d.TicketId, d.Intent, d.Band, d.ReasonsJson, d.CreatedAt, d.FollowUp })
                    .ToListAsync(cancellationToken))
                .ToLookup(d => d.TicketId);
            var reviews = (await db.Drafts.IgnoreQueryFilters().AsNoTracking().Where(d => ids.Contains(d.TicketId) && d.Review != null)
                    .Select(d => new { d.TicketId, d.DecisionId, Review = d.Review!.Value, d.EditShare })
                    .ToListAsync(cancellationToken))
                .ToLookup(d => d.TicketId);
            var byTicket = (await db.CostReceipts.AsNoTracking().Where(r => ids.Contains(r.TicketId))
                    .Select(r => new { r.TicketId, r.DecisionId, Fact = new ReceiptFact(r.Stage, r.Model, r.IsLocal, r.CostNanosUsd, r.InputTokens, r.OutputTokens) })
                    .ToListAsync(cancellationToken))
                .ToLookup(r => r.TicketId);
            foreach (var t in batch)
            {
                var ordered = decisions[t.Id].OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).ToList();
                var first = ordered[0];

                // Receipts from before conversations name no decision: they are the first decision's.
                var receiptsOf = byTicket[t.Id].ToLookup(r => r.DecisionId ?? first.Id, r => r.Fact);
                foreach (var d in ordered)
                {
                    var facts = new DecisionFacts(t.Channel, t.CustomerId, d.CreatedAt, d.Intent, d.Band,
                        RollupContributions.ReasonCodes(d.ReasonsJson), [.. receiptsOf[d.Id]])
                    {
                        FollowUp = d.FollowUp,
                    };
                    receipts += facts.Receipts.Count;
                    rows.AddRange(RollupContributions.OfDecision(facts));
                }

                // The first response counts under the decision that was current when it was sent.
                if (t.FirstResponseAt is { } responded)
                {
                    var answered = ordered.LastOrDefault(d => d.CreatedAt <= responded) ?? first;
                    rows.AddRange(RollupContributions.OfFirstResponse(RollupContributions.DayOf(answered.CreatedAt), t.Channel, answered.Intent, answered.Band,
                        t.IngestedAt, responded));
                }

                foreach (var review in reviews[t.Id])
                {
                    var of = ordered.FirstOrDefault(d => d.Id == review.DecisionId) ?? first;
                    rows.AddRange(RollupContributions.OfReview(RollupContributions.DayOf(of.CreatedAt), t.Channel, of.Intent, of.Band, review.Review,
                        review.EditShare));
                }
            }

            tickets += batch.Count;
            if (rows.Count > 200_000)
            {
                await RollupWriter.UpsertAsync(db, rows, cancellationToken);
                rows.Clear();
            }
        }

        await RollupWriter.UpsertAsync(db, rows, cancellationToken);
        var rollupRows = await db.DailyStageCosts.CountAsync(cancellationToken) + await db.DailyIntentStats.CountAsync(cancellationToken)
            + await db.DailyReasonCounts.CountAsync(cancellationToken) + await db.DailyCustomerStats.CountAsync(cancellationToken)
            + await db.DailyResponseTimes.CountAsync(cancellationToken);

        var setting = await db.Settings.FirstOrDefaultAsync(s => s.Key == VersionSetting, cancellationToken);
        var value = RollupVersion.ToString(CultureInfo.InvariantCulture);
        if (setting is null)
        {
            db.Settings.Add(new Setting { Key = VersionSetting, Value = value, UpdatedAt = clock.GetUtcNow(), UpdatedBy = actor, Reason = "rollups rebuilt" });
        }
        else
        {
            setting.Value = value;
            setting.UpdatedAt = clock.GetUtcNow();
            setting.UpdatedBy = actor;
            setting.Reason = "rollups rebuilt";
        }

        db.AuditEvents.Add(AuditEvent.Record(clock.GetUtcNow(), actor, "reports.rebuilt", "setting", VersionSetting,
            System.Text.Json.JsonSerializer.Serialize(new { tickets, receipts, rollupRows, backfilledTickets, backfilledDrafts })));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RollupRebuildReport(tickets, receipts, rollupRows, backfilledTickets, backfilledDrafts, Math.Round(started.Elapsed.TotalSeconds, 2));
    }

    /// <summary>
    /// Fills in what databases from before cost reporting did not record: the first response (the decision for auto,
    /// else the first reply an agent sent) and the verdict on suggested drafts (from the sent text and the audit log).
    /// Only rows still missing them are touched, so it is a no-op on a current database.
    /// </summary>
    private static async Task<(int Tickets, int Drafts)> BackfillAsync(SupportConsoleDbContext db, CancellationToken cancellationToken)
    {
        var tickets = await db.Tickets
            .Where(t => t.FirstResponseAt == null && t.DecidedAt != null && t.Decision != null && t.Decision.Band == ConfidenceBand.Auto)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.FirstResponseAt, t => t.DecidedAt), cancellationToken);

        var unanswered = (await db.Tickets.Where(t => t.FirstResponseAt == null && t.Status == TicketStatus.Answered).Select(t => t.Id)
            .ToListAsync(cancellationToken)).Select(id => id.ToString()).ToList();
        var sentEvents = await db.AuditEvents.AsNoTracking()
            .Where(e => e.EntityType == "ticket" && e.Action == "ticket.sent" && unanswered.Contains(e.EntityId))
            .Select(e => new { e.EntityId, e.At }).ToListAsync(cancellationToken);
        foreach (var first in sentEvents.GroupBy(e => e.EntityId).Select(g => (Id: Guid.Parse(g.Key), At: g.Min(e => e.At))))
        {
            tickets += await db.Tickets.Where(t => t.Id == first.Id && t.FirstResponseAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.FirstResponseAt, first.At), cancellationToken);
        }

        var rejected = await db.AuditEvents.AsNoTracking().Where(e => e.EntityType == "ticket" && e.Action == "draft.rejected")
            .Select(e => new { e.EntityId, e.At }).ToListAsync(cancellationToken);
        var rejectedAt = rejected.Where(e => Guid.TryParse(e.EntityId, out _))
            .GroupBy(e => Guid.Parse(e.EntityId)).ToDictionary(g => g.Key, g => g.Min(e => e.At));
        var drafts = await db.Drafts
            .Where(d => d.Review == null && db.Decisions.Any(x => x.TicketId == d.TicketId && x.Band == ConfidenceBand.Suggest))
            .Where(d => d.SentText != null || rejectedAt.Keys.Contains(d.TicketId))
            .ToListAsync(cancellationToken);
        foreach (var draft in drafts)
        {
            if (rejectedAt.TryGetValue(draft.TicketId, out var at))
            {
                draft.Review = DraftReview.Rejected;
                draft.ReviewedAt = at;
            }
            else
            {
                draft.Review = draft.EditedText is null ? DraftReview.Approved : DraftReview.Edited;
                draft.EditShare = draft.EditedText is null ? 0 : EditMeasure.ChangedShare(draft.OriginalText.Trim(), draft.SentText!.Trim());
                draft.ReviewedAt = draft.EditedAt;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return (tickets, drafts.Count);
    }
}
