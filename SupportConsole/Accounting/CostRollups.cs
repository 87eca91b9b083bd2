using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;

namespace SupportConsole.Accounting;

/// <summary>The facts of a ticket the agents' actions can change, as they were before the action.</summary>
public readonly record struct ReportedState(DateTimeOffset? FirstResponseAt, DraftReview? Review);

/// <summary>
/// Keeps the daily rollups in step with the facts, in the same transaction: the decision (called by TicketProcessor)
/// and agents' actions (called by TicketActions). Budgets are checked and alerted here too.
/// </summary>
public sealed class CostRollups(IDbContextFactory<SupportConsoleDbContext> contexts, BudgetCache budgetCache, BudgetGuard budgets)
{
    /// <summary>Before the engine runs: the customer's budget and what it allows (no query for a customer without one).</summary>
    public async ValueTask<BudgetCheck> BeforeDecisionAsync(string customerId, CancellationToken cancellationToken)
    {
        if (await budgetCache.GetAsync(customerId, cancellationToken) is not { } budget)
        {
            return budgets.Unbudgeted();
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await budgets.CheckAsync(db, budget, cancellationToken);
    }

    /// <summary>
    /// After the decision's rows are written, in its transaction on the group-commit writer's connection: adds the
    /// rollups and records budget alerts (returns how many are new). Synchronous, as the writer's work must be.
    /// </summary>
    public int RecordDecision(RowStatements statements, Ticket ticket, Decision decision, IReadOnlyList<CostReceipt> receipts, BudgetCheck budget)
    {
        var facts = new DecisionFacts(ticket.Channel, ticket.CustomerId, decision.CreatedAt, decision.Intent, decision.Band,
            RollupContributions.ReasonCodes(decision.ReasonsJson),
            [.. receipts.Select(r => new ReceiptFact(r.Stage, r.Model, r.IsLocal, r.CostNanosUsd, r.InputTokens, r.OutputTokens))])
        {
            FollowUp = decision.FollowUp,
        };
        var rows = RollupContributions.OfDecision(facts);
        if (!decision.FollowUp && ticket.FirstResponseAt is { } responded)
        {
            rows = rows.Concat(RollupContributions.OfFirstResponse(facts.Day, ticket.Channel, decision.Intent, decision.Band, ticket.IngestedAt, responded));
        }

        RollupWriter.Upsert(statements, rows);
        return budgets.RecordAlerts(statements, ticket, budget);
    }

    public static ReportedState Snapshot(Ticket ticket) => new(ticket.FirstResponseAt, ticket.Draft?.Review);

    /// <summary>After an agent's action changed the ticket (before it is saved, in its transaction): the rollup rows of what changed.</summary>
    public static IReadOnlyList<object> ChangesSince(Ticket ticket, ReportedState before)
    {
        if (ticket.Decision is not { } decision || ticket.DecidedAt is null)
        {
            return [];
        }

        // Under the decision the agent answered (the current one): the rebuild finds it as the last decision before the answer.
        var day = RollupContributions.DayOf(decision.CreatedAt);
        var rows = new List<object>();
        if (before.FirstResponseAt is null && ticket.FirstResponseAt is { } responded)
        {
            rows.AddRange(RollupContributions.OfFirstResponse(day, ticket.Channel, decision.Intent, decision.Band, ticket.IngestedAt, responded));
        }

        if (before.Review is null && ticket.Draft?.Review is { } review)
        {
            rows.AddRange(RollupContributions.OfReview(day, ticket.Channel, decision.Intent, decision.Band, review, ticket.Draft.EditShare));
        }

        return rows;
    }

    public static Task ApplyAsync(SupportConsoleDbContext db, IReadOnlyList<object> rows, CancellationToken cancellationToken) =>
        RollupWriter.UpsertAsync(db, rows, cancellationToken);
}
