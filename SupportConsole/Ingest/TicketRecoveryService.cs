using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Data;
using SupportConsole.Data.Entities;

namespace SupportConsole.Ingest;

/// <summary>Configuration section <c>Recovery</c>: how often undecided tickets are looked for, and how old they must be.</summary>
public sealed class RecoveryOptions
{
    public const string SectionName = "Recovery";

    [Range(0.5, 3600)]
    public double IntervalSeconds { get; set; } = 30;

    /// <summary>Tickets younger than this may still be in an ingest request's hands (on this or another instance).</summary>
    [Range(0.5, 3600)]
    public double GraceSeconds { get; set; } = 10;
}

/// <summary>
/// Finishes tickets that were stored but never decided (a crash between ingest and decision, or a failed
/// attempt): at start-up and then periodically, a bounded number of attempts per ticket. On a shared database this
/// also finishes what another instance left when it died; a ticket decided twice at once is decided once (the ticket
/// row's version decides).
/// </summary>
public sealed class TicketRecoveryService(
    IDbContextFactory<SupportConsoleDbContext> contexts,
    TicketProcessor processor,
    IOptions<RecoveryOptions> options,
    TimeProvider clock,
    ILogger<TicketRecoveryService> logger) : BackgroundService
{
    public const int MaxAttempts = 5;

    private TimeSpan Grace => TimeSpan.FromSeconds(options.Value.GraceSeconds);

    private TimeSpan Interval => TimeSpan.FromSeconds(options.Value.IntervalSeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var startedAt = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RecoverAsync(startedAt, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Ticket recovery pass failed");
            }

            await Task.Delay(Interval, clock, stoppingToken);
        }
    }

    /// <summary>Processes every undecided ticket that is old enough (or older than this process).</summary>
    public async Task<int> RecoverAsync(DateTimeOffset processStartedAt, CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - Grace;
        var recovered = 0;
        while (true)
        {
            List<Guid> batch;
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                batch = await db.Tickets
                    .Where(t => t.Status == TicketStatus.Received && t.ProcessingAttempts < MaxAttempts
                                && (t.IngestedAt < cutoff || t.IngestedAt < processStartedAt))
                    .OrderBy(t => t.IngestedAt)
                    .Select(t => t.Id)
                    .Take(100)
                    .ToListAsync(cancellationToken);
            }

            if (batch.Count == 0)
            {
                return recovered + await RecoverFollowUpsAsync(cutoff, processStartedAt, cancellationToken);
            }

            foreach (var id in batch)
            {
                try
                {
                    if (await processor.ProcessAsync(id, ingest: null, cancellationToken) == ProcessingResult.Decided)
                    {
                        recovered++;
                        logger.LogInformation("Recovered undecided ticket {TicketId}", id);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Recovering ticket {TicketId} failed", id);
                    await processor.RecordFailureAsync(id, e, cancellationToken);
                }
            }
        }
    }

    /// <summary>Routes the customers' follow-ups that were stored but not routed (a crash, or a ticket not decided yet then).</summary>
    private async Task<int> RecoverFollowUpsAsync(DateTimeOffset cutoff, DateTimeOffset processStartedAt, CancellationToken cancellationToken)
    {
        var recovered = 0;
        var tried = new HashSet<Guid>();
        while (true)
        {
            List<Guid> batch;
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                batch = await db.TicketMessages
                    .Where(m => m.RoutingPending && m.RoutingAttempts < MaxAttempts && (m.CreatedAt < cutoff || m.CreatedAt < processStartedAt))
                    .OrderBy(m => m.CreatedAt)
                    .Select(m => m.Id)
                    .Take(100)
                    .ToListAsync(cancellationToken);
            }

            // A follow-up whose ticket is still undecided stays pending: each pass looks at it once.
            batch.RemoveAll(id => !tried.Add(id));
            if (batch.Count == 0)
            {
                return recovered;
            }

            foreach (var id in batch)
            {
                try
                {
                    if (await processor.ProcessFollowUpAsync(id, ingest: null, cancellationToken) is not null)
                    {
                        recovered++;
                        logger.LogInformation("Recovered unrouted follow-up {MessageId}", id);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Recovering follow-up {MessageId} failed", id);
                    await processor.RecordFollowUpFailureAsync(id, e, cancellationToken);
                }
            }
        }
    }
}
