using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Changes;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Identity;
using SupportConsole.Tickets;

namespace SupportConsole.Review;

/// <summary>Configuration section <c>SecondOpinion</c>: how many auto-resolved tickets an agent checks after the fact.</summary>
public sealed class SecondOpinionOptions
{
    public const string SectionName = "SecondOpinion";

    /// <summary>Share of auto-resolved tickets queued for review (the field's guardrail: about 2 %).</summary>
    [Range(0.0, 1.0)]
    public double Share { get; set; } = 0.02;
}

/// <summary>
/// Decides which auto-resolved tickets get a second opinion: a hash of the ticket id against the share, so the choice
/// is the same on every instance and on a retry, and needs no state.
/// </summary>
public sealed class SecondOpinionSampler(IOptions<SecondOpinionOptions> options)
{
    public bool IsSampled(Guid ticketId)
    {
        var share = options.Value.Share;
        if (share <= 0)
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(ticketId.ToByteArray(), hash);
        var unit = BitConverter.ToUInt64(hash) / (double)ulong.MaxValue;
        return unit < share;
    }
}

/// <summary>A queued second-opinion review with what the engine sent.</summary>
public sealed record SecondOpinionItem(Guid ReviewId, Guid TicketId, string CustomerId, string Body, string Intent, double Confidence,
    string? SentText, string? CitedArticleId, DateTimeOffset QueuedAt, SecondOpinionVerdict? Verdict, string? ReviewedBy);

/// <summary>What the reviews say so far: reviewed, wrong, and the live bad-answer rate.</summary>
public sealed record SecondOpinionStats(int Queued, int Reviewed, int Wrong)
{
    public double? BadAnswerRate => Reviewed == 0 ? null : Wrong / (double)Reviewed;
}

/// <summary>The second-opinion queue: pending reviews, verdicts (audited; a wrong intent becomes a training label).</summary>
public sealed class SecondOpinionQueue(IDbContextFactory<SupportConsoleDbContext> contexts, ChangeFeed changes, TimeProvider clock)
{
    public async Task<(IReadOnlyList<SecondOpinionItem> Rows, int Total)> PageAsync(bool pendingOnly, int page, int pageSize,
        CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.SecondOpinionReviews.AsNoTracking().Where(r => !pendingOnly || r.Verdict == null);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(r => r.Verdict != null).ThenByDescending(r => r.QueuedAt)
            .Skip(page * pageSize).Take(pageSize)
            .Join(db.Tickets, r => r.TicketId, t => t.Id, (r, t) => new { r, t })
            .Select(x => new SecondOpinionItem(x.r.Id, x.t.Id, x.t.CustomerId, x.t.Body, x.t.Decision!.Intent, x.t.Decision.Confidence,
                x.t.Draft!.SentText ?? x.t.Draft.OriginalText, x.t.Draft.CitedArticleId, x.r.QueuedAt, x.r.Verdict, x.r.ReviewedBy))
            .ToListAsync(cancellationToken);
        return (rows, total);
    }

    public async Task<SecondOpinionItem?> ForTicketAsync(Guid ticketId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.SecondOpinionReviews.AsNoTracking().Where(r => r.TicketId == ticketId)
            .Join(db.Tickets, r => r.TicketId, t => t.Id, (r, t) => new { r, t })
            .Select(x => new SecondOpinionItem(x.r.Id, x.t.Id, x.t.CustomerId, x.t.Body, x.t.Decision!.Intent, x.t.Decision.Confidence,
                x.t.Draft!.SentText ?? x.t.Draft.OriginalText, x.t.Draft.CitedArticleId, x.r.QueuedAt, x.r.Verdict, x.r.ReviewedBy))
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<SecondOpinionStats> StatsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var queued = await db.SecondOpinionReviews.CountAsync(cancellationToken);
        var reviewed = await db.SecondOpinionReviews.CountAsync(r => r.Verdict != null, cancellationToken);
        var wrong = await db.SecondOpinionReviews.CountAsync(r => r.Verdict != null && r.Verdict != SecondOpinionVerdict.Correct, cancellationToken);
        return new SecondOpinionStats(queued, reviewed, wrong);
    }

    /// <summary>Records a verdict once; a wrong intent needs the right one, which becomes the ticket's training label.</summary>
    public async Task<ActionResult> RecordAsync(Guid reviewId, SecondOpinionVerdict verdict, string? correctIntent, string? note,
        IReadOnlyCollection<string> knownIntents, string actor, CancellationToken cancellationToken = default)
    {
        if (verdict == SecondOpinionVerdict.WrongIntent && (string.IsNullOrWhiteSpace(correctIntent) || !knownIntents.Contains(correctIntent)))
        {
            return ActionResult.Failed("Choose the intent the ticket really is.");
        }

        if (note is { Length: > 1000 })
        {
            return ActionResult.Failed("The note is longer than 1000 characters.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var review = await db.SecondOpinionReviews.FirstOrDefaultAsync(r => r.Id == reviewId, cancellationToken);
        if (review is null)
        {
            return ActionResult.Failed("This review no longer exists.");
        }

        if (review.Verdict is not null)
        {
            return ActionResult.Failed($"{review.ReviewedBy} already gave a verdict on this ticket.");
        }

        var now = clock.GetUtcNow();
        review.Verdict = verdict;
        review.CorrectIntent = verdict == SecondOpinionVerdict.WrongIntent ? correctIntent : null;
        review.Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        review.ReviewedBy = actor;
        review.ReviewedAt = now;
        db.AuditEvents.Add(AuditEvent.Record(now, actor, "second-opinion.recorded", "ticket", review.TicketId.ToString(),
            JsonSerializer.Serialize(new { verdict = verdict.ToString(), correctIntent = review.CorrectIntent, note = review.Note })));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            // ReviewedAt is a concurrency token: of two agents recording at once, the second one's update matches nothing.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ActionResult.Failed("Someone else recorded a verdict at the same moment.");
        }

        if (review.CorrectIntent is { } label)
        {
            await db.Tickets.Where(t => t.Id == review.TicketId).ExecuteUpdateAsync(s => s.SetProperty(t => t.LabelledIntent, label), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);

        changes.Publish(TicketTopics.Changed, new TicketChanged(review.TicketId, "Reviewed", "Auto", "second-opinion.recorded"));
        return ActionResult.Ok(verdict == SecondOpinionVerdict.Correct ? "Marked correct." : "Recorded as a bad answer; it counts in the live bad-answer rate.");
    }
}
