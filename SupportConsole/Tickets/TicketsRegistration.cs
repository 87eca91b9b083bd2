namespace SupportConsole.Tickets;

public static class TicketsRegistration
{
    /// <summary>The agents' workspace: queues, the ticket page's details, agents' actions, presence and reply targets.</summary>
    public static IHostApplicationBuilder AddSupportConsoleTickets(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SlaOptions>().BindConfiguration(SlaOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TicketPresence>();
        services.AddSingleton<AgentDirectory>();
        services.AddSingleton<QueueQueries>();
        services.AddSingleton<TicketActions>();
        services.AddSingleton<TicketDetails>();
        return builder;
    }
}
