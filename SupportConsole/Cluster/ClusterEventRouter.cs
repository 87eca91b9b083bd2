using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Administration;
using SupportConsole.Data;
using SupportConsole.Evaluation;
using SupportConsole.Jobs;
using SupportConsole.ModelRegistry;
using SupportConsole.Pipeline;
using SupportConsole.Tickets;

namespace SupportConsole.Cluster;

/// <summary>
/// Acts on what other instances announce: queues and banners of this instance's pages update, the kill-switch cache is
/// refreshed, the active router and the help-center index follow. Every handler re-reads the database, so a missed or
/// late notification costs only time; the index is also checked every few seconds in case one was missed.
/// </summary>
public sealed class ClusterEventRouter(
    IClusterBus bus,
    TicketEvents tickets,
    KillSwitch killSwitch,
    RouterRegistry routers,
    KnowledgeIndexProvider knowledge,
    JobEvents jobs,
    EvaluationEvents evaluations,
    DataChanges changes,
    IDbContextFactory<SupportConsoleDbContext> contexts,
    ILogger<ClusterEventRouter> logger) : BackgroundService
{
    private static readonly TimeSpan IndexCheckInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (bus is SingleInstanceBus)
        {
            return;
        }

        bus.Received += change => _ = HandleAsync(change, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(IndexCheckInterval, stoppingToken);
            try
            {
                if (knowledge.IsBuilt && await knowledge.LiveVersionAsync(stoppingToken) is { } live && live != knowledge.State?.Version)
                {
                    await knowledge.FollowAsync(live, stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Checking the live help-center index version failed");
            }
        }
    }

    private async Task HandleAsync(ClusterEvent change, CancellationToken cancellationToken)
    {
        try
        {
            switch (change.Topic)
            {
                case ClusterTopics.Ticket when JsonSerializer.Deserialize<TicketChanged>(change.Payload) is { } ticket:
                    tickets.RaiseFromCluster(ticket);
                    break;
                case ClusterTopics.KillSwitch or ClusterTopics.Settings:
                    // The gate's cached settings are read again for the next ticket, not after their cache age.
                    changes.Settings.Advance();
                    await killSwitch.RefreshAsync(cancellationToken);
                    break;
                case ClusterTopics.Router:
                    changes.Settings.Advance();
                    await routers.ResolveAsync(change.Payload, cancellationToken);
                    break;
                case ClusterTopics.KnowledgeIndex:
                    await knowledge.FollowAsync(change.Payload, cancellationToken);
                    break;
                case ClusterTopics.JobRun when JsonSerializer.Deserialize<JobRunView>(change.Payload) is { } run:
                    jobs.RaiseFromCluster(run);
                    break;
                case ClusterTopics.Evaluation when Guid.TryParse(change.Payload, out var id):
                    await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
                    {
                        if (await db.EvaluationRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken) is { } evaluation)
                        {
                            evaluations.RaiseFromCluster(evaluation);
                        }
                    }

                    break;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Acting on {Topic} from {Origin} failed", change.Topic, change.Origin);
        }
    }
}
