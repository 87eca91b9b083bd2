using System.ComponentModel.DataAnnotations;
using SupportConsole.Engine.Gate;

namespace SupportConsole.Tickets;

/// <summary>
/// Configuration section <c>Sla</c>: how soon a customer's message must be answered, per priority (the first response
/// of a ticket and the reply to every follow-up). Queues show the time left and sort on it.
/// </summary>
public sealed class SlaOptions
{
    public const string SectionName = "Sla";

    [Range(1, 100_000)]
    public int UrgentMinutes { get; set; } = 30;

    [Range(1, 100_000)]
    public int HighMinutes { get; set; } = 120;

    [Range(1, 100_000)]
    public int NormalMinutes { get; set; } = 480;

    [Range(1, 100_000)]
    public int LowMinutes { get; set; } = 1440;

    public TimeSpan TargetFor(TicketPriority priority) => TimeSpan.FromMinutes(priority switch
    {
        TicketPriority.Urgent => UrgentMinutes,
        TicketPriority.High => HighMinutes,
        TicketPriority.Low => LowMinutes,
        _ => NormalMinutes,
    });
}
