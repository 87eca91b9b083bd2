using SupportConsole.Api;
using SupportConsole.Cluster;
using SupportConsole.Components;
using SupportConsole.Data;
using SupportConsole.Health;
using SupportConsole.Identity;
using SupportConsole.Jobs;
using SupportConsole.Pipeline;
using SupportConsole.Reporting;
using SupportConsole.Security;
using SupportConsole.Telemetry;

namespace SupportConsole;

/// <summary>How the web console is composed; Program and the in-process benchmarks build it the same way.</summary>
public static class SupportConsoleApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Settings and web assets come from the app's folder; the working directory is the user's (state, CLI paths).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

        // `dotnet run` serves the build output, not a published one: MudBlazor's and the app's static files are found
        // through the static web assets manifest in every environment (a published app has no manifest: no effect).
        builder.WebHost.UseStaticWebAssets();
        builder.AddSupportConsoleData();
        builder.AddSupportConsoleCluster();
        builder.AddSupportConsoleEngine();
        builder.AddSupportConsoleOperations();
        builder.AddSupportConsoleReporting();
        builder.AddSupportConsoleWorkers();
        builder.AddSupportConsoleJobs();
        builder.AddSupportConsoleClusterFollowers();
        builder.AddSupportConsoleTelemetry();
        builder.AddSupportConsoleIdentity();
        builder.AddSupportConsoleSecurity();
        builder.AddSupportConsoleHealth();
        builder.AddSupportConsoleApi();
        builder.AddSupportConsoleWeb();
        configure?.Invoke(builder);

        var app = builder.Build();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = "/error", CreateScopeForErrors = true });
        }

        app.UseSupportConsoleSecurity();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapSupportConsoleHealth();
        app.MapTicketApi();
        app.MapReportApi();
        app.MapAccountEndpoints();
        app.MapJobsDashboard();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>A host with the data layer and the engine but no web server: for the command line.</summary>
    public static IHost BuildWorkerHost(string[] args, Action<HostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });

        // The command line prints its results on stdout: logs go to stderr, and only warnings.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddSupportConsoleData();
        builder.AddSupportConsoleCluster();
        builder.AddSupportConsoleEngine();
        builder.AddSupportConsoleOperations();
        builder.AddSupportConsoleReporting();
        configure?.Invoke(builder);
        return builder.Build();
    }
}
