namespace SupportConsole.Tickets;

/// <summary>A ticket that changed: decided, approved, rejected, escalated...</summary>
public sealed record TicketChanged(Guid TicketId, string Status, string? Band, string Reason);

/// <summary>
/// Tells open browsers that tickets changed so queues update live: every circuit of this instance at once, and the
/// other instances through the cluster bus. Subscribers must unsubscribe when disposed.
/// </summary>
public sealed class TicketEvents(Cluster.IClusterBus cluster)
{
    public event Action<TicketChanged>? Changed;

    public void Publish(TicketChanged change)
    {
        Changed?.Invoke(change);
        cluster.Publish(Cluster.ClusterTopics.Ticket, System.Text.Json.JsonSerializer.Serialize(change));
    }

    /// <summary>A change another instance published: told to this instance's pages only.</summary>
    public void RaiseFromCluster(TicketChanged change) => Changed?.Invoke(change);
}
