using SupportConsole.Data.Entities;
using SupportConsole.Engine.Gate;

namespace SupportConsole.Tickets;

/// <summary>The four states agents know a ticket by.</summary>
public enum TicketState
{
    /// <summary>Someone has to act: being routed, waiting for approval, or with a person.</summary>
    Open,

    /// <summary>Answered; waiting on the customer.</summary>
    Pending,

    /// <summary>Answered (automatically or by an agent) or marked solved; the customer's reply opens it again.</summary>
    Solved,

    /// <summary>Done for good; the customer's next message starts a new ticket.</summary>
    Closed,

    /// <summary>A historical ticket imported for training.</summary>
    Imported,
}

/// <summary>
/// How statuses, queues, bands and priorities read in the console: words, never enum names. A ticket shows its state
/// (open, pending, solved, closed) and, while open, the queue it is in; the engine's band is part of the decision.
/// </summary>
public static class TicketWords
{
    public static TicketState StateOf(TicketStatus status) => status switch
    {
        TicketStatus.Received or TicketStatus.AwaitingApproval or TicketStatus.Escalated => TicketState.Open,
        TicketStatus.Pending => TicketState.Pending,
        TicketStatus.AutoResolved or TicketStatus.Answered or TicketStatus.Solved => TicketState.Solved,
        TicketStatus.Closed => TicketState.Closed,
        _ => TicketState.Imported,
    };

    public static string State(TicketStatus status) => StateOf(status) switch
    {
        TicketState.Open => "Open",
        TicketState.Pending => "Pending",
        TicketState.Solved => "Solved",
        TicketState.Closed => "Closed",
        _ => "Imported",
    };

    /// <summary>Where the ticket is, in a few words (the queue of an open ticket, how a solved one was answered).</summary>
    public static string Where(TicketStatus status) => status switch
    {
        TicketStatus.Received => "Being routed",
        TicketStatus.AwaitingApproval => "Draft waiting for approval",
        TicketStatus.Escalated => "With a person",
        TicketStatus.Pending => "Waiting on the customer",
        TicketStatus.AutoResolved => "Answered automatically",
        TicketStatus.Answered => "Answered by an agent",
        TicketStatus.Solved => "Marked solved",
        TicketStatus.Closed => "Closed",
        _ => "Imported for training",
    };

    /// <summary>What the engine's band means.</summary>
    public static string Band(ConfidenceBand band) => band switch
    {
        ConfidenceBand.Auto => "answer automatically",
        ConfidenceBand.Suggest => "suggest a draft to an agent",
        _ => "escalate to a person",
    };

    public static string Band(string band) => Enum.TryParse<ConfidenceBand>(band, out var parsed) ? Band(parsed) : band;

    public static string Priority(TicketPriority priority) => priority switch
    {
        TicketPriority.Urgent => "Urgent",
        TicketPriority.High => "High",
        TicketPriority.Low => "Low",
        _ => "Normal",
    };

    public static TicketStatus? ParseStatus(string status) => Enum.TryParse<TicketStatus>(status, out var parsed) ? parsed : null;
}
