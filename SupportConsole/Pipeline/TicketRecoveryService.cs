using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;

namespace SupportConsole.Pipeline;

/// <summary>
/// Finishes tickets that were stored but never decided (a crash between ingest and decision, or a failed
/// attempt): at start-up and then periodically, a bounded number of attempts per ticket.
/// </summary>
public sealed class TicketRecoveryService(
    IDbContextFactory<SupportConsoleDbContext> contexts,
    TicketProcessor processor,
    TimeProvider clock,
    ILogger<TicketRecoveryService> logger) : BackgroundService
{
    public const int MaxAttempts = 5;

    /// <summary>Tickets younger than this may still be in an ingest request's hands.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

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
                return recovered;
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
}
