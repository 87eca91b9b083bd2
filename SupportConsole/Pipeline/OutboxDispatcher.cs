using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Data;
using SupportConsole.Data.Entities;

namespace SupportConsole.Pipeline;

/// <summary>
/// Delivers outbox messages to their kind's webhook (OutboxDestinations): at least once, with the message id in <c>X-Message-Id</c> so the
/// receiver can drop repeats, retried with exponential back-off until delivered or out of attempts. A message is
/// claimed before it is sent, so two dispatchers never send it at the same time.
/// </summary>
public sealed class OutboxDispatcher(
    IDbContextFactory<SupportConsoleDbContext> contexts,
    IHttpClientFactory httpClients,
    IOptionsMonitor<OutboxOptions> options,
    OutboxDestinations destinations,
    OutboxSignal signal,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "outbox";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var poll = TimeSpan.FromSeconds(options.CurrentValue.PollSeconds);
            if (destinations.DeliverableKinds().Count > 0)
            {
                try
                {
                    await DeliverDueAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Outbox pass failed");
                }
            }

            await signal.WaitAsync(poll, stoppingToken);
        }
    }

    /// <summary>Sends every message that is due; returns how many were delivered.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var kinds = destinations.DeliverableKinds();
        if (kinds.Count == 0)
        {
            return 0;
        }

        var delivered = 0;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var due = await db.OutboxMessages
            .Where(m => m.DeliveredAt == null && m.NextAttemptAt <= now && m.Attempts < settings.MaxAttempts && kinds.Contains(m.Kind))
            .OrderBy(m => m.NextAttemptAt)
            .Take(50)
            .ToListAsync(cancellationToken);
        foreach (var message in due)
        {
            if (destinations.For(message.Kind) is not { } webhook)
            {
                continue;
            }

            // Claim: push the next attempt out before sending; only the dispatcher whose update matched sends.
            var claimUntil = clock.GetUtcNow().AddSeconds(settings.RequestTimeoutSeconds * 3);
            var attempts = message.Attempts;
            var claimed = await db.OutboxMessages
                .Where(m => m.Id == message.Id && m.DeliveredAt == null && m.Attempts == attempts)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, claimUntil).SetProperty(m => m.Attempts, attempts + 1), cancellationToken);
            if (claimed == 0)
            {
                continue;
            }

            var error = await SendAsync(webhook, message, settings, cancellationToken);
            var finishedAt = clock.GetUtcNow();
            if (error is null)
            {
                delivered++;
                await db.OutboxMessages.Where(m => m.Id == message.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.DeliveredAt, finishedAt).SetProperty(m => m.LastError, (string?)null), cancellationToken);
                if (message.Kind == OutboxDestinations.ReplyKind)
                {
                    await db.Tickets.Where(t => t.Id == message.TicketId && t.Status == TicketStatus.AutoResolved)
                        .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TicketStatus.Answered), cancellationToken);
                }
            }
            else
            {
                var delay = Math.Min(settings.MaxRetrySeconds, settings.FirstRetrySeconds * Math.Pow(2, attempts));
                var next = finishedAt.AddSeconds(delay);
                await db.OutboxMessages.Where(m => m.Id == message.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, next).SetProperty(m => m.LastError, error), cancellationToken);
                logger.LogWarning("Outbox message {MessageId} attempt {Attempt} failed: {Error}; next try at {Next}",
                    message.Id, attempts + 1, error, next);
            }
        }

        return delivered;
    }

    private async Task<string?> SendAsync(Uri webhook, OutboxMessage message, OutboxOptions settings, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.RequestTimeoutSeconds));
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook)
        {
            Content = new StringContent(message.PayloadJson, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("X-Message-Id", message.Id.ToString());
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"timed out after {settings.RequestTimeoutSeconds} s";
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
    }
}
