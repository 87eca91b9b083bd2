namespace SupportConsole.Ingest;

/// <summary>What a channel's request did: the ingest result and, for a new ticket or a follow-up, its decision.</summary>
public sealed record IntakeResult(IngestResult Ingest, DecidedTicket? Decided)
{
    public bool IsValid => Ingest.IsValid;

    public bool Created => Ingest.Created;

    public Guid? TicketId => Ingest.TicketId;

    public IReadOnlyList<IngestValidationError> Errors => Ingest.Errors;

    /// <summary>For a repeat, what was stored under its (channel, external id).</summary>
    public StoredMessage? Repeat => Ingest.Repeat;

    /// <summary>The request appended the customer's follow-up to an existing ticket's conversation.</summary>
    public bool IsFollowUp => Ingest.FollowUp is not null;
}

/// <summary>
/// Ingest then process: what a channel's request does (a follow-up is routed again in its conversation). A failure
/// after the message is stored leaves it for recovery.
/// </summary>
public sealed class TicketIntake(TicketIngestor ingestor, TicketProcessor processor, ILogger<TicketIntake> logger)
{
    public async Task<IntakeResult> ReceiveAsync(InboundTicket inbound, string source, CancellationToken cancellationToken)
    {
        var result = await ingestor.IngestAsync(inbound, source, cancellationToken);
        if (result.FollowUp is { } message)
        {
            try
            {
                return new IntakeResult(result, await processor.ProcessFollowUpAsync(message.Id, result.Timing, cancellationToken));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Routing follow-up {MessageId} of ticket {TicketId} failed; recovery will retry it", message.Id, message.TicketId);
                await processor.RecordFollowUpFailureAsync(message.Id, e, CancellationToken.None);
            }

            return new IntakeResult(result, null);
        }

        if (!result.Created || result.Ticket is not { } ticket)
        {
            return new IntakeResult(result, null);
        }

        var id = ticket.Id;
        try
        {
            return new IntakeResult(result, await processor.ProcessNewAsync(ticket, result.FirstMessage, result.Timing!, cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Processing ticket {TicketId} failed; it stays received and recovery will retry it", id);
            await processor.RecordFailureAsync(id, e, CancellationToken.None);
        }

        return new IntakeResult(result, null);
    }
}
