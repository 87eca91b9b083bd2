namespace SupportConsole.Pipeline;

/// <summary>What a channel's request did: the ingest result and, for a new ticket, its decision.</summary>
public sealed record IntakeResult(IngestResult Ingest, DecidedTicket? Decided)
{
    public bool IsValid => Ingest.IsValid;

    public bool Created => Ingest.Created;

    public Guid? TicketId => Ingest.TicketId;

    public IReadOnlyList<IngestValidationError> Errors => Ingest.Errors;
}

/// <summary>Ingest then process: what a channel's request does. A failure after the ticket is stored leaves it for recovery.</summary>
public sealed class TicketIntake(TicketIngestor ingestor, TicketProcessor processor, ILogger<TicketIntake> logger)
{
    public async Task<IntakeResult> ReceiveAsync(InboundTicket inbound, string source, CancellationToken cancellationToken)
    {
        var result = await ingestor.IngestAsync(inbound, source, cancellationToken);
        if (!result.Created || result.Ticket is not { } ticket)
        {
            return new IntakeResult(result, null);
        }

        var id = ticket.Id;
        try
        {
            return new IntakeResult(result, await processor.ProcessNewAsync(ticket, result.Timing!, cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Processing ticket {TicketId} failed; it stays received and recovery will retry it", id);
            await processor.RecordFailureAsync(id, e, CancellationToken.None);
        }

        return new IntakeResult(result, null);
    }
}
