using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Data;
using SupportConsole.Data.Entities;

namespace SupportConsole.Delivery;

/// <summary>
/// Delivers outbox messages to their kind's webhook, or a reply to the channel its ticket came through
/// (<see cref="IReplyChannel"/>: email): at least once, with the message id in <c>X-Message-Id</c> so the receiver can
/// drop repeats (the channel's own id for a channel), retried with exponential back-off until delivered or out of attempts. A message is
/// claimed before it is sent, so two dispatchers (or instances) never send it at the same time. Each pass runs as a
/// Hangfire job (<see cref="OutboxDeliveryJob"/>).
/// </summary>
public sealed class OutboxDispatcher(
    IDbContextFactory<SupportConsoleDbContext> contexts,
    IHttpClientFactory httpClients,
    IOptionsMonitor<OutboxOptions> options,
    OutboxDestinations destinations,
    IEnumerable<IReplyChannel> replyChannels,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger)
{
    public const string HttpClientName = "outbox";

    /// <summary>Sends every message that is due; returns how many were delivered and when the next undelivered one is due.</summary>
    public async Task<(int Delivered, DateTimeOffset? NextDue)> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        // Every channel is asked whose a reply is, configured or not: a reply to mail never goes to the webhook.
        var channels = replyChannels.ToList();
        var kinds = destinations.Configured();
        if (channels.Any(c => c.Destination is not null) && !kinds.Contains(OutboxKinds.Reply))
        {
            kinds = [.. kinds, OutboxKinds.Reply];
        }

        if (kinds.Count == 0)
        {
            return (0, null);
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
            var channel = message.Kind == OutboxKinds.Reply ? await OwnerAsync(channels, message, cancellationToken) : null;
            var webhook = channel is null ? destinations.For(message.Kind) : null;
            if (channel is { Destination: null } || (channel is null && webhook is null))
            {
                // Nowhere to go yet (its channel is not configured to send, or no webhook is) while other messages are
                // deliverable: it waits, out of their way, and goes once its destination is configured.
                var later = clock.GetUtcNow().AddSeconds(settings.MaxRetrySeconds);
                var why = channel is null ? "waiting: no webhook is configured for this channel's replies" : "waiting: its channel cannot send yet (not configured)";
                await db.OutboxMessages.Where(m => m.Id == message.Id && m.DeliveredAt == null && m.Attempts == message.Attempts)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, later).SetProperty(m => m.LastError, why), cancellationToken);
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

            var error = channel is not null
                ? await SendByChannelAsync(channel, message, settings, cancellationToken)
                : await SendAsync(webhook!, message, settings, cancellationToken);
            var destination = channel?.Destination ?? webhook!.GetLeftPart(UriPartial.Authority);
            var finishedAt = clock.GetUtcNow();
            if (error is null)
            {
                delivered++;

                // Delivered and answered together: nobody sees a delivered reply whose ticket still waits.
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                await db.OutboxMessages.Where(m => m.Id == message.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.DeliveredAt, finishedAt).SetProperty(m => m.LastError, (string?)null), cancellationToken);
                // A budget alert names the ticket that crossed the line; only a reply answers its ticket.
                if (message.Kind == OutboxKinds.Reply && message.TicketId is { } ticketId)
                {
                    await db.Tickets.Where(t => t.Id == ticketId && t.Status == TicketStatus.AutoResolved)
                        .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TicketStatus.Answered), cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);

                // The one line a delivery writes at information level (HttpClient's own lines are at warning and above only).
                logger.LogInformation("Delivered {Kind} message {MessageId} to {Destination} on attempt {Attempt}", message.Kind, message.Id,
                    destination, attempts + 1);
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

        var nextDue = await db.OutboxMessages
            .Where(m => m.DeliveredAt == null && m.Attempts < settings.MaxAttempts && kinds.Contains(m.Kind))
            .OrderBy(m => m.NextAttemptAt)
            .Select(m => (DateTimeOffset?)m.NextAttemptAt)
            .FirstOrDefaultAsync(cancellationToken);
        return (delivered, nextDue);
    }

    private static async Task<IReplyChannel?> OwnerAsync(List<IReplyChannel> channels, OutboxMessage reply, CancellationToken cancellationToken)
    {
        foreach (var channel in channels)
        {
            if (await channel.OwnsAsync(reply, cancellationToken))
            {
                return channel;
            }
        }

        return null;
    }

    private async Task<string?> SendByChannelAsync(IReplyChannel channel, OutboxMessage message, OutboxOptions settings, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.RequestTimeoutSeconds));
        try
        {
            return await channel.SendAsync(message, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"timed out after {settings.RequestTimeoutSeconds} s";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Sending outbox message {MessageId} by {Destination} failed", message.Id, channel.Destination);
            return e.Message;
        }
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
        request.Headers.Add("X-Message-Kind", message.Kind);
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
