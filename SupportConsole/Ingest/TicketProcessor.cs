using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Accounting;
using SupportConsole.Changes;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Delivery;
using SupportConsole.Engine.Accounting;
using SupportConsole.Engine.Drafting;
using SupportConsole.Engine.Pipeline;
using SupportConsole.Knowledge;
using SupportConsole.Routing;
using SupportConsole.Tickets;

namespace SupportConsole.Ingest;

/// <summary>How long ingest took for a ticket (recorded on its ingest receipt).</summary>
public sealed record IngestTiming(double CpuMilliseconds, double LatencyMilliseconds);

/// <summary>What happened when a ticket was put through the pipeline.</summary>
public enum ProcessingResult
{
    Decided,
    AlreadyDecided,
    NotFound,
}

/// <summary>A ticket as decided, with the rows written for it (the API answers from these without reading them back).</summary>
public sealed record DecidedTicket(Ticket Ticket, Decision Decision, DecisionLists Lists, Draft? Draft, IReadOnlyList<CostReceipt> Receipts,
    IReadOnlyList<TicketMessage> Messages);

/// <summary>
/// Runs a stored ticket through the engine and stores the decision, the draft, a receipt per stage, an audit event
/// and (for auto) the outbox message and the reply in the conversation, all in one transaction (through the
/// group-commit writer, so concurrent tickets share it). A ticket already decided (by another worker or instance) is
/// left alone. A customer's follow-up is routed on its own text and supersedes the ticket's current decision and
/// draft (both kept for the history); it never goes out on its own (the gate keeps it from auto).
/// </summary>
public sealed class TicketProcessor(
    IDbContextFactory<SupportConsoleDbContext> contexts,
    GroupCommitWriter writer,
    CustomerRecordsCache customers,
    TicketPipeline pipeline,
    PolicyCache policies,
    RouterRegistry routers,
    KnowledgeIndexProvider knowledge,
    Review.SecondOpinionSampler secondOpinions,
    PriceTableProvider prices,
    OutboxSignal outbox,
    ChangeFeed changes,
    CostRollups rollups,
    IOptionsMonitor<Tickets.SlaOptions> sla,
    TimeProvider clock,
    ILogger<TicketProcessor> logger)
{
    /// <summary>How often a follow-up is routed again when the ticket changed while it was being routed.</summary>
    public const int FollowUpAttempts = 5;

    /// <summary>The decision changes these ticket columns, where the ticket still has the version it was read with.</summary>
    private static readonly string[] DecidedColumns =
    [
        nameof(Ticket.Status), nameof(Ticket.DecidedAt), nameof(Ticket.FirstResponseAt), nameof(Ticket.LastProcessingError), nameof(Ticket.Priority),
        nameof(Ticket.ReplyDueAt), nameof(Ticket.Version),
    ];

    /// <summary>A follow-up's routing changes these (the first decision's time and the first response stay).</summary>
    private static readonly string[] FollowUpColumns =
        [nameof(Ticket.Status), nameof(Ticket.Priority), nameof(Ticket.ReplyDueAt), nameof(Ticket.LastMessageAt), nameof(Ticket.Version)];

    /// <summary>Processes a stored ticket by id (recovery); a ticket already decided is left alone.</summary>
    public async Task<ProcessingResult> ProcessAsync(Guid ticketId, IngestTiming? ingest, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Id == ticketId, cancellationToken);
        if (ticket is null)
        {
            return ProcessingResult.NotFound;
        }

        if (ticket.Status != TicketStatus.Received)
        {
            return ProcessingResult.AlreadyDecided;
        }

        // The first message carries what its channel said about it (a hold); tickets from before conversations have none.
        var first = await db.TicketMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == ticketId, cancellationToken);
        return await DecideAsync(ticket, null, ingest, cancellationToken, first) is null ? ProcessingResult.AlreadyDecided : ProcessingResult.Decided;
    }

    /// <summary>Processes a ticket this process has just stored with its first message (no need to read them back).</summary>
    public Task<DecidedTicket?> ProcessNewAsync(Ticket ticket, TicketMessage? firstMessage, IngestTiming ingest, CancellationToken cancellationToken) =>
        DecideAsync(ticket, null, ingest, cancellationToken, firstMessage);

    /// <summary>
    /// Routes a customer's follow-up in its conversation; null when it was routed already, or when its ticket's first
    /// message is not decided yet (recovery routes it after that). A ticket that changes meanwhile (an agent's action,
    /// another follow-up) is read again.
    /// </summary>
    public async Task<DecidedTicket?> ProcessFollowUpAsync(Guid messageId, IngestTiming? ingest, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < FollowUpAttempts; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var message = await db.TicketMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == messageId, cancellationToken);
            if (message is not { RoutingPending: true })
            {
                return null;
            }

            var ticket = await db.Tickets.AsNoTracking().Include(t => t.Decision).Include(t => t.Draft)
                .FirstAsync(t => t.Id == message.TicketId, cancellationToken);
            if (ticket.Status == TicketStatus.Received)
            {
                return null;
            }

            if (await DecideAsync(ticket, message, ingest, cancellationToken) is { } decided)
            {
                return decided;
            }
        }

        throw new InvalidOperationException($"follow-up {messageId} could not be routed: its ticket changed {FollowUpAttempts} times while it was");
    }

    private async Task<DecidedTicket?> DecideAsync(Ticket ticket, TicketMessage? followUp, IngestTiming? ingest, CancellationToken cancellationToken,
        TicketMessage? firstMessage = null)
    {
        var customer = await customers.GetAsync(ticket.CustomerId, cancellationToken);
        var (policy, routerVersion) = await policies.CurrentWithRouterAsync(cancellationToken);
        var models = new PipelineModels(await routers.ResolveAsync(routerVersion, cancellationToken), knowledge.Current);
        var request = new TicketRequest(ticket.Id, ticket.Channel, ticket.CustomerId, ticket.Subject, followUp?.Body ?? ticket.Body)
        {
            FollowUp = followUp is not null,
            Hold = (followUp ?? firstMessage)?.Hold,
        };
        var budget = await rollups.BeforeDecisionAsync(ticket.CustomerId, cancellationToken);
        var outcome = await pipeline.ProcessAsync(request, customer, policy, budget.Limits, models, cancellationToken);

        var act = StageClock.Start();
        var now = clock.GetUtcNow();
        var band = PolicyCache.ToEntity(outcome.Gate.Band);
        var previousStatus = ticket.Status;
        var previousDecision = ticket.Decision;
        var previousDraft = ticket.Draft;
        var readVersion = ticket.Version;
        ticket.Status = band switch
        {
            ConfidenceBand.Auto => TicketStatus.AutoResolved,
            ConfidenceBand.Suggest => TicketStatus.AwaitingApproval,
            _ => TicketStatus.Escalated,
        };

        // Priority comes from the rules that fired and never drops; the reply is due by the target of the priority,
        // counted from this message, or earlier if an unanswered one came first.
        ticket.Priority = outcome.Gate.Priority > ticket.Priority || followUp is null ? outcome.Gate.Priority : ticket.Priority;
        var due = (followUp?.CreatedAt ?? ticket.IngestedAt) + sla.CurrentValue.TargetFor(ticket.Priority);
        ticket.ReplyDueAt = band == ConfidenceBand.Auto ? null : ticket.ReplyDueAt is { } earlier && earlier < due ? earlier : due;
        if (followUp is null)
        {
            ticket.DecidedAt = now;
            ticket.FirstResponseAt = band == ConfidenceBand.Auto ? now : null;
            ticket.LastProcessingError = null;
        }
        else
        {
            ticket.LastMessageAt = followUp.CreatedAt;
        }

        ticket.Version = readVersion + 1;

        var decisionId = Guid.CreateVersion7();
        var receipts = new List<StageReceipt>
        {
            new(Stages.Ingest, ingest is null ? "ingest (recovered)" : "ingest", null, true,
                PriceTable.EstimateTokens(request.Text), 0, ingest?.CpuMilliseconds ?? 0, ingest?.LatencyMilliseconds ?? 0,
                prices.Current.LocalCostNanos(ingest?.CpuMilliseconds ?? 0)),
        };
        receipts.AddRange(outcome.Receipts);

        Draft? draftRow = null;
        if (outcome.Draft is { } draft)
        {
            draftRow = new Draft
            {
                Id = Guid.CreateVersion7(),
                TicketId = ticket.Id,
                DecisionId = decisionId,
                Origin = outcome.DraftKind == DraftKind.CloudModel ? DraftOrigin.CloudModel : DraftOrigin.Template,
                OriginalText = draft.Text,
                CitedArticleId = draft.Cited.ArticleId,
                CitedSection = draft.Cited.SectionTitle,
                Model = outcome.DraftModel,
                CreatedAt = now,
            };
        }

        var outboxRow = band == ConfidenceBand.Auto && outcome.Draft is { } reply
            ? OutboxMessage.Reply(ticket, reply.Text, reply.Cited.ArticleId, reply.Cited.ArticleTitle, reply.Cited.SectionTitle, sentBy: null, now)
            : null;
        var replyMessage = outboxRow is null ? null : TicketMessage.Reply(ticket, outboxRow, outcome.Draft!.Text, TicketMessage.EngineAuthor, now);
        var reviewRow = outboxRow is not null && secondOpinions.IsSampled(ticket.Id)
            ? new SecondOpinionReview { Id = Guid.CreateVersion7(now), TicketId = ticket.Id, QueuedAt = now }
            : null;

        receipts.Add(new StageReceipt(Stages.Act, band == ConfidenceBand.Auto ? "outbox" : "queue", null, true, 0, 0,
            act.CpuMilliseconds, act.ElapsedMilliseconds, prices.Current.LocalCostNanos(act.CpuMilliseconds)));
        var receiptRows = receipts.Select(r => new CostReceipt
        {
            TicketId = ticket.Id,
            DecisionId = decisionId,
            CustomerId = ticket.CustomerId,
            Stage = r.Stage,
            Model = r.Model,
            ModelVersion = r.ModelVersion,
            IsLocal = r.IsLocal,
            InputTokens = r.InputTokens,
            OutputTokens = r.OutputTokens,
            CpuMilliseconds = Math.Round(r.CpuMilliseconds, 4),
            LatencyMilliseconds = Math.Round(r.LatencyMilliseconds, 4),
            CostNanosUsd = r.CostNanosUsd,
            CreatedAt = now,
        }).ToList();

        var costNanos = receipts.Sum(r => r.CostNanosUsd);
        var lists = new DecisionLists(outcome.Gate.Reasons, outcome.Sources, outcome.Route.Top);
        var decision = new Decision
        {
            Id = decisionId,
            TicketId = ticket.Id,
            MessageId = followUp?.Id ?? ticket.Id,
            FollowUp = followUp is not null,
            RouterVersion = outcome.RouterVersion,
            Intent = outcome.Route.Intent,
            Confidence = outcome.Route.Confidence,
            Certified = outcome.Route.Certified,
            CertificationThreshold = outcome.CertificationThreshold,
            CertificationTarget = outcome.CertificationTarget,
            TopIntentsJson = JsonSerializer.Serialize(lists.TopIntents, DecisionJson.Default.IReadOnlyListIntentScore),
            Band = band,
            PolicyBand = PolicyCache.ToEntity(outcome.Gate.PolicyBand),
            ReasonsJson = JsonSerializer.Serialize(lists.Reasons, DecisionJson.Default.IReadOnlyListDecisionReason),
            SourcesJson = JsonSerializer.Serialize(lists.Sources, DecisionJson.Default.IReadOnlyListSourceHit),
            RetrievalIndexVersion = outcome.RetrievalIndexVersion,
            EmbedderVersion = outcome.EmbedderVersion,
            Groundedness = outcome.Groundedness,
            CostNanosUsd = costNanos,
            PolicyVersion = policy.Version,
            KillSwitchEngaged = policy.Gate.KillSwitchEngaged,
            CreatedAt = now,
        };
        var audit = AuditEvent.Record(now, "engine", followUp is null ? "ticket.decided" : "ticket.rerouted", "ticket", ticket.Id.ToString(),
            JsonSerializer.Serialize(
                new DecidedDetails(band.ToString(), outcome.Route.Intent, outcome.Route.Confidence, outcome.Route.Certified,
                    outcome.Gate.Reasons.Select(r => r.Code), outcome.RouterVersion, policy.Version)
                {
                    Priority = ticket.Priority.ToString(),
                    MessageId = followUp?.Id,
                    FollowUp = followUp is not null,
                },
                DecisionJson.Default.DecidedDetails));
        var reopened = followUp is not null && Tickets.TicketWords.StateOf(previousStatus) != Tickets.TicketState.Open
            ? AuditEvent.Record(now, "engine", "ticket.reopened", "ticket", ticket.Id.ToString(),
                JsonSerializer.Serialize(new ReopenedDetails(previousStatus.ToString(), followUp.Id), DecisionJson.Default.ReopenedDetails))
            : null;

        var stored = false;
        var budgetAlerts = 0;
        try
        {
            stored = await writer.WriteAsync(rows =>
            {
                // Only a ticket nobody changed since it was read is decided here; otherwise another worker got there first.
                if (rows.Update(ticket, followUp is null ? DecidedColumns : FollowUpColumns,
                        [(nameof(Ticket.Id), ticket.Id), (nameof(Ticket.Version), readVersion)]) == 0)
                {
                    return false;
                }

                if (followUp is not null)
                {
                    // The follow-up's routing replaces the current decision and draft; both stay for the history.
                    Supersede(rows, previousDecision, previousDraft, now);
                    followUp.RoutingPending = false;
                    if (rows.Update(followUp, [nameof(TicketMessage.RoutingPending)],
                            [(nameof(TicketMessage.Id), followUp.Id), (nameof(TicketMessage.RoutingPending), true)]) == 0)
                    {
                        throw new InvalidOperationException($"follow-up {followUp.Id} was routed by someone else while its ticket version held");
                    }
                }

                rows.Insert(decision);
                if (draftRow is not null)
                {
                    rows.Insert(draftRow);
                }

                if (outboxRow is not null)
                {
                    rows.Insert(outboxRow);
                    rows.Insert(replyMessage!);
                }

                if (reviewRow is not null)
                {
                    rows.Insert(reviewRow);
                }

                rows.Insert(audit);
                if (reopened is not null)
                {
                    rows.Insert(reopened);
                }

                rows.InsertAll(receiptRows);
                budgetAlerts = rollups.RecordDecision(rows, ticket, decision, receiptRows, budget);
                return true;
            }, cancellationToken);
        }
        catch (Exception e) when (DbExceptions.IsUniqueViolation(e))
        {
            // The decision's unique index on the ticket: decided elsewhere first.
        }

        if (!stored)
        {
            ticket.Version = readVersion;
            ticket.Status = previousStatus;
            if (followUp is not null)
            {
                followUp.RoutingPending = true;
            }

            logger.LogInformation("Ticket {TicketId} was decided or changed elsewhere first", ticket.Id);
            return null;
        }

        if (band == ConfidenceBand.Auto || budgetAlerts > 0)
        {
            outbox.Notify();
        }

        changes.Publish(TicketTopics.Changed, new TicketChanged(ticket.Id, ticket.Status.ToString(), band.ToString(), audit.Action));
        IReadOnlyList<TicketMessage> messages = followUp is not null ? [followUp]
            : replyMessage is null ? [firstMessage ?? FirstMessage(ticket)] : [firstMessage ?? FirstMessage(ticket), replyMessage];
        return new DecidedTicket(ticket, decision, lists, draftRow, receiptRows, messages);
    }

    private static void Supersede(RowStatements rows, Decision? decision, Draft? draft, DateTimeOffset now)
    {
        if (decision is not null)
        {
            decision.SupersededAt = now;
            rows.Update(decision, [nameof(Decision.SupersededAt)], [(nameof(Decision.Id), decision.Id)]);
        }

        if (draft is not null)
        {
            draft.SupersededAt = now;
            rows.Update(draft, [nameof(Draft.SupersededAt)], [(nameof(Draft.Id), draft.Id)]);
        }
    }

    /// <summary>The ticket's first message as ingest stored it (for the answer to a new ticket, without reading it back).</summary>
    private static TicketMessage FirstMessage(Ticket ticket) => new()
    {
        Id = ticket.Id,
        TicketId = ticket.Id,
        Direction = MessageDirection.Inbound,
        Channel = ticket.Channel,
        ExternalId = ticket.ExternalId,
        Author = ticket.CustomerId,
        Subject = ticket.Subject,
        Body = ticket.Body,
        At = ticket.ReceivedAt,
        CreatedAt = ticket.IngestedAt,
    };

    /// <summary>Counts a failed attempt on the ticket so recovery can retry it a bounded number of times.</summary>
    public async Task RecordFailureAsync(Guid ticketId, Exception error, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var message = Truncated(error);
        await db.Tickets.Where(t => t.Id == ticketId && t.Status == TicketStatus.Received)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.ProcessingAttempts, t => t.ProcessingAttempts + 1)
                .SetProperty(t => t.LastProcessingError, message), cancellationToken);
    }

    /// <summary>Counts a failed attempt at routing a follow-up (recovery gives up after a few).</summary>
    public async Task RecordFollowUpFailureAsync(Guid messageId, Exception error, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.TicketMessages.Where(m => m.Id == messageId && m.RoutingPending)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.RoutingAttempts, m => m.RoutingAttempts + 1), cancellationToken);
        logger.LogWarning("Follow-up {MessageId} failed to route: {Error}", messageId, Truncated(error));
    }

    private static string Truncated(Exception error) => error.Message.Length > 500 ? error.Message[..500] : error.Message;
}
