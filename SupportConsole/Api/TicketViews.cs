using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Pipeline;
using SupportConsole.Engine.Routing;
using SupportConsole.Pipeline;

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

/// <summary>What a repeat of a stored ticket tells a key without <c>tickets:read</c>: that it is stored, and its state.</summary>
public sealed record TicketReceipt(Guid Id, string Status, bool Decided);

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

/// <summary>Source-generated JSON for the API's ticket answers, with the web defaults the reflection-based serializer used.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TicketView))]
[JsonSerializable(typeof(TicketReceipt))]
internal sealed partial class ApiJson : JsonSerializerContext;

/// <summary>Reads tickets into <see cref="TicketView"/>s.</summary>
public sealed class TicketQueries(IDbContextFactory<SupportConsoleDbContext> contexts)
{
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

    /// <summary>The view of a stored ticket; the decision's lists are read from its row.</summary>
    public static TicketView ToView(Ticket ticket, Decision? d, Draft? draft, IReadOnlyCollection<CostReceipt> receipts) =>
        ToView(ticket, d, d is null ? null : DecisionLists.Read(d), draft, receipts);

    /// <summary>The view of a ticket this process has just decided, from the objects its rows were written from.</summary>
    public static TicketView ToView(DecidedTicket decided) =>
        ToView(decided.Ticket, decided.Decision, decided.Lists, decided.Draft, decided.Receipts);

    private static TicketView ToView(Ticket ticket, Decision? d, DecisionLists? lists, Draft? draft, IReadOnlyCollection<CostReceipt> receipts)
    {
        return new TicketView(
            ticket.Id, ticket.Channel, ticket.ExternalId, ticket.CustomerId, ticket.Subject, ticket.Body, ticket.Status.ToString(),
            ticket.ReceivedAt, ticket.IngestedAt, ticket.DecidedAt,
            d is null || lists is null ? null : new DecisionView(
                d.Intent, d.Confidence, d.Certified, d.CertificationThreshold, d.CertificationTarget, d.Band.ToString(), d.PolicyBand.ToString(),
                lists.Reasons, lists.Sources, lists.TopIntents,
                d.Groundedness, d.RouterVersion, d.RetrievalIndexVersion, d.PolicyVersion, d.KillSwitchEngaged, Usd(d.CostNanosUsd)),
            draft is not null
                ? new DraftView(draft.Origin.ToString(), draft.OriginalText, draft.EditedText, draft.SentText, draft.CitedArticleId, draft.CitedSection, draft.Model)
                : null,
            [.. receipts.OrderBy(r => Stages.Position(r.Stage)).Select(r => new ReceiptView(r.Stage, r.Model, r.ModelVersion, r.IsLocal, r.InputTokens,
                r.OutputTokens, r.CpuMilliseconds, r.LatencyMilliseconds, Usd(r.CostNanosUsd)))]);
    }

    public static decimal Usd(long nanos) => nanos / 1_000_000_000m;
}
