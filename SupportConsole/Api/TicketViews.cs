using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Pipeline;
using SupportConsole.Engine.Routing;

namespace SupportConsole.Api;

/// <summary>A ticket with everything that explains its decision, as the API returns it.</summary>
public sealed record TicketView(
    Guid Id,
    string Channel,
    string ExternalId,
    string CustomerId,
    string? Subject,
    string Body,
    string Status,
    DateTimeOffset ReceivedAt,
    DateTimeOffset IngestedAt,
    DateTimeOffset? DecidedAt,
    DecisionView? Decision,
    DraftView? Draft,
    IReadOnlyList<ReceiptView> Receipts);

public sealed record DecisionView(
    string Intent,
    double Confidence,
    bool Certified,
    double? CertificationThreshold,
    double CertificationTarget,
    string Band,
    string PolicyBand,
    IReadOnlyList<DecisionReason> Reasons,
    IReadOnlyList<SourceHit> Sources,
    IReadOnlyList<IntentScore> TopIntents,
    double? Groundedness,
    string RouterVersion,
    string? RetrievalIndexVersion,
    long PolicyVersion,
    bool KillSwitchEngaged,
    decimal CostUsd);

public sealed record DraftView(string Origin, string OriginalText, string? EditedText, string? SentText, string? CitedArticleId, string? CitedSection, string? Model);

public sealed record ReceiptView(string Stage, string Model, string? ModelVersion, bool IsLocal, int InputTokens, int OutputTokens,
    double CpuMilliseconds, double LatencyMilliseconds, decimal CostUsd);

/// <summary>Reads tickets into <see cref="TicketView"/>s.</summary>
public sealed class TicketQueries(IDbContextFactory<SupportConsoleDbContext> contexts)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<TicketView?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Tickets.AsNoTracking()
            .Include(t => t.Decision)
            .Include(t => t.Draft)
            .Include(t => t.Receipts)
            .FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (ticket is null)
        {
            return null;
        }

        return ToView(ticket, ticket.Decision, ticket.Draft, ticket.Receipts);
    }

    public static TicketView ToView(Ticket ticket, Decision? d, Draft? draft, IReadOnlyCollection<CostReceipt> receipts)
    {
        return new TicketView(
            ticket.Id, ticket.Channel, ticket.ExternalId, ticket.CustomerId, ticket.Subject, ticket.Body, ticket.Status.ToString(),
            ticket.ReceivedAt, ticket.IngestedAt, ticket.DecidedAt,
            d is null ? null : new DecisionView(
                d.Intent, d.Confidence, d.Certified, d.CertificationThreshold, d.CertificationTarget, d.Band.ToString(), d.PolicyBand.ToString(),
                JsonSerializer.Deserialize<List<DecisionReason>>(d.ReasonsJson, Json) ?? [],
                JsonSerializer.Deserialize<List<SourceHit>>(d.SourcesJson, Json) ?? [],
                JsonSerializer.Deserialize<List<IntentScore>>(d.TopIntentsJson, Json) ?? [],
                d.Groundedness, d.RouterVersion, d.RetrievalIndexVersion, d.PolicyVersion, d.KillSwitchEngaged, Usd(d.CostNanosUsd)),
            draft is not null
                ? new DraftView(draft.Origin.ToString(), draft.OriginalText, draft.EditedText, draft.SentText, draft.CitedArticleId, draft.CitedSection, draft.Model)
                : null,
            [.. receipts.OrderBy(r => Stages.Position(r.Stage)).Select(r => new ReceiptView(r.Stage, r.Model, r.ModelVersion, r.IsLocal, r.InputTokens,
                r.OutputTokens, r.CpuMilliseconds, r.LatencyMilliseconds, Usd(r.CostNanosUsd)))]);
    }

    public static decimal Usd(long nanos) => nanos / 1_000_000_000m;
}
