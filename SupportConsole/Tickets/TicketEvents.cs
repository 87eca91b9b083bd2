namespace SupportConsole.Tickets;

/// <summary>A ticket that changed: decided, approved, rejected, escalated...</summary>
public sealed record TicketChanged(Guid TicketId, string Status, string? Band, string Reason);

/// <summary>
/// Tells open browsers that tickets changed so queues update live. In-process: every circuit of this instance hears
/// every change. Subscribers must unsubscribe when disposed.
/// </summary>
public sealed class TicketEvents
{
    public event Action<TicketChanged>? Changed;

    public void Publish(TicketChanged change) => Changed?.Invoke(change);
}
