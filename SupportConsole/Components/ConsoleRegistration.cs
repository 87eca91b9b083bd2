using MudBlazor.Services;
using SupportConsole.Administration;
using SupportConsole.Tickets;

namespace SupportConsole.Components;

public static class ConsoleRegistration
{
    /// <summary>The Blazor Server console: MudBlazor, interactive server rendering, and the services its pages use.</summary>
    public static IHostApplicationBuilder AddSupportConsoleWeb(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddSingleton<QueueQueries>();
        builder.Services.AddSingleton<TicketActions>();
        builder.Services.AddSingleton<TicketDetails>();
        builder.Services.AddSingleton<GoldenSetWhatIf>();
        builder.Services.AddSingleton<PolicyAdmin>();
        builder.Services.AddSingleton<KnowledgeAdmin>();
        builder.Services.AddSingleton<AuditQueries>();
        return builder;
    }
}
