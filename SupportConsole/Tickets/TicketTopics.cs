using System.Text.Json;
using SupportConsole.Changes;

namespace SupportConsole.Tickets;

/// <summary>A ticket that changed: decided, approved, rejected, escalated...</summary>
public sealed record TicketChanged(Guid TicketId, string Status, string? Band, string Reason);

/// <summary>The workspace's changes on the <see cref="ChangeFeed"/>: queues and ticket pages update live, on every instance.</summary>
public static class TicketTopics
{
    public static readonly ChangeTopic<TicketChanged> Changed =
        new("ticket", change => JsonSerializer.Serialize(change), payload => JsonSerializer.Deserialize<TicketChanged>(payload));
}
