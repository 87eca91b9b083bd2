using MudBlazor;
using MudBlazor.Services;

namespace SupportConsole.Components;

public static class ConsoleRegistration
{
    /// <summary>The Blazor Server console: MudBlazor, interactive server rendering, and the services its pages use.</summary>
    public static IHostApplicationBuilder AddSupportConsoleWeb(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices(options =>
        {
            // Bottom left, under the navigation: never over a page's own buttons, which sit at the top and right of their panels.
            options.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomLeft;
            options.SnackbarConfiguration.MaxDisplayedSnackbars = 3;
            options.SnackbarConfiguration.VisibleStateDuration = 6000;
        });
        builder.Services.AddScoped<Shared.ViewerTime>();
        return builder;
    }
}
