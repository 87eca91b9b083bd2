using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Pipeline;

namespace SupportConsole.Pipeline;

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
public sealed record DecidedTicket(Ticket Ticket, Decision Decision, DecisionLists Lists, Draft? Draft, IReadOnlyList<CostReceipt> Receipts);

/// <summary>
/// Runs a stored ticket through the engine and stores the decision, the draft, a receipt per stage, an audit event
/// and (for auto) the outbox message, all in one transaction (through the group-commit writer, so concurrent tickets
/// share it). A ticket already decided (by another worker or instance) is left alone.
/// </summary>
public sealed class TicketProcessor(
    IDbContextFactory<SupportConsoleDbContext> contexts,
    GroupCommitWriter writer,
    CustomerRecordsCache customers,
    TicketPipeline pipeline,
    PolicyCache policies,
    ModelRegistry.RouterRegistry routers,
    KnowledgeIndexProvider knowledge,
    Review.SecondOpinionSampler secondOpinions,
    PriceTableProvider prices,
    OutboxSignal outbox,
    Tickets.TicketEvents events,
    Reporting.CostRollups rollups,
    TimeProvider clock,
    ILogger<TicketProcessor> logger)
{
    /// <summary>The decision changes these ticket columns, where the ticket still has the version it was read with.</summary>
    private static readonly string[] DecidedColumns =
        [nameof(Ticket.Status), nameof(Ticket.DecidedAt), nameof(Ticket.FirstResponseAt), nameof(Ticket.LastProcessingError), nameof(Ticket.Version)];

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

        return await DecideAsync(ticket, ingest, cancellationToken) is null ? ProcessingResult.AlreadyDecided : ProcessingResult.Decided;
    }

    /// <summary>Processes a ticket this process has just stored (no need to read it back).</summary>
    public Task<DecidedTicket?> ProcessNewAsync(Ticket ticket, IngestTiming ingest, CancellationToken cancellationToken) =>
        DecideAsync(ticket, ingest, cancellationToken);

    private async Task<DecidedTicket?> DecideAsync(Ticket ticket, IngestTiming? ingest, CancellationToken cancellationToken)
    {
        var customer = await customers.GetAsync(ticket.CustomerId, cancellationToken);
        var (policy, routerVersion) = await policies.CurrentWithRouterAsync(cancellationToken);
        var models = new PipelineModels(await routers.ResolveAsync(routerVersion, cancellationToken), knowledge.Current);
        var request = new TicketRequest(ticket.Id, ticket.Channel, ticket.CustomerId, ticket.Subject, ticket.Body);
        var budget = await rollups.BeforeDecisionAsync(ticket.CustomerId, cancellationToken);
        var outcome = await pipeline.ProcessAsync(request, customer, policy, budget.Limits, models, cancellationToken);

        var act = StageClock.Start();
        var now = clock.GetUtcNow();
        var band = PolicyCache.ToEntity(outcome.Gate.Band);
        ticket.Status = band switch
        {
            ConfidenceBand.Auto => TicketStatus.AutoResolved,
            ConfidenceBand.Suggest => TicketStatus.AwaitingApproval,
            _ => TicketStatus.Escalated,
        };
        ticket.DecidedAt = now;
        ticket.FirstResponseAt = band == ConfidenceBand.Auto ? now : null;
        ticket.LastProcessingError = null;
        var readVersion = ticket.Version;
        ticket.Version = readVersion + 1;

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
        var reviewRow = outboxRow is not null && secondOpinions.IsSampled(ticket.Id)
            ? new SecondOpinionReview { Id = Guid.CreateVersion7(now), TicketId = ticket.Id, QueuedAt = now }
            : null;

        receipts.Add(new StageReceipt(Stages.Act, band == ConfidenceBand.Auto ? "outbox" : "queue", null, true, 0, 0,
            act.CpuMilliseconds, act.ElapsedMilliseconds, prices.Current.LocalCostNanos(act.CpuMilliseconds)));
        var receiptRows = receipts.Select(r => new CostReceipt
        {
            TicketId = ticket.Id,
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
            Id = Guid.CreateVersion7(),
            TicketId = ticket.Id,
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
        var audit = new AuditEvent
        {
            At = now,
            Actor = "engine",
            Action = "ticket.decided",
            EntityType = "ticket",
            EntityId = ticket.Id.ToString(),
            DetailsJson = JsonSerializer.Serialize(
                new DecidedDetails(band.ToString(), outcome.Route.Intent, outcome.Route.Confidence, outcome.Route.Certified,
                    outcome.Gate.Reasons.Select(r => r.Code), outcome.RouterVersion, policy.Version),
                DecisionJson.Default.DecidedDetails),
        };

        var stored = false;
        var budgetAlerts = 0;
        try
        {
            stored = await writer.WriteAsync(rows =>
            {
                // Only a ticket nobody changed since it was read is decided here; otherwise another worker got there first.
                if (rows.Update(ticket, DecidedColumns, [(nameof(Ticket.Id), ticket.Id), (nameof(Ticket.Version), readVersion)]) == 0)
                {
                    return false;
                }

                rows.Insert(decision);
                if (draftRow is not null)
                {
                    rows.Insert(draftRow);
                }

                if (outboxRow is not null)
                {
                    rows.Insert(outboxRow);
                }

                if (reviewRow is not null)
                {
                    rows.Insert(reviewRow);
                }

                rows.Insert(audit);
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
            logger.LogInformation("Ticket {TicketId} was decided elsewhere first", ticket.Id);
            return null;
        }

        if (band == ConfidenceBand.Auto || budgetAlerts > 0)
        {
            outbox.Notify();
        }

        events.Publish(new Tickets.TicketChanged(ticket.Id, ticket.Status.ToString(), band.ToString(), "ticket.decided"));
        return new DecidedTicket(ticket, decision, lists, draftRow, receiptRows);
    }

    /// <summary>Counts a failed attempt on the ticket so recovery can retry it a bounded number of times.</summary>
    public async Task RecordFailureAsync(Guid ticketId, Exception error, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var message = error.Message.Length > 500 ? error.Message[..500] : error.Message;
        await db.Tickets.Where(t => t.Id == ticketId && t.Status == TicketStatus.Received)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.ProcessingAttempts, t => t.ProcessingAttempts + 1)
                .SetProperty(t => t.LastProcessingError, message), cancellationToken);
    }
}
