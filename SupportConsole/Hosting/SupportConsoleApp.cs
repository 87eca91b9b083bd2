using SupportConsole.Accounting;
using SupportConsole.Administration;
using SupportConsole.Api;
using SupportConsole.Changes;
using SupportConsole.Components;
using SupportConsole.Components.Pages.Audit;
using SupportConsole.Components.Pages.Tickets;
using SupportConsole.Data;
using SupportConsole.Delivery;
using SupportConsole.Email;
using SupportConsole.Evaluation;
using SupportConsole.Health;
using SupportConsole.Identity;
using SupportConsole.Ingest;
using SupportConsole.Jobs;
using SupportConsole.Knowledge;
using SupportConsole.Reporting;
using SupportConsole.Review;
using SupportConsole.Routing;
using SupportConsole.Security;
using SupportConsole.Telemetry;
using SupportConsole.Tickets;
using SupportConsole.Training;

namespace SupportConsole.Hosting;

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
        builder.AddSupportConsoleFeatures();
        builder.AddSupportConsoleStartup();
        builder.AddSupportConsoleIngestRecovery();
        builder.AddSupportConsoleMailboxReaders();
        builder.AddSupportConsoleJobs();
        builder.AddSupportConsoleDeliveryJobs();
        builder.AddSupportConsoleChangeFollowing();
        builder.AddSupportConsoleTelemetry();
        builder.AddSupportConsoleIdentity();
        builder.AddSupportConsoleSecurity();
        builder.AddSupportConsoleHealth();
        builder.AddSupportConsoleApi();
        builder.AddSupportConsoleWeb();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseConsoleErrorPages();

        // Inside the error pages: a body that is cut short or too slow is the client's 4xx here, never an error page's 500.
        app.UseSupportConsoleSecurity();

        // Routing after the error pages: a request re-executed for its error page is routed again, to the page.
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapSupportConsoleHealth();
        app.MapTicketApi();
        app.MapReportApi();
        app.MapAccountEndpoints();
        app.MapAuditExport();
        app.MapTicketAttachments();
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
        builder.AddSupportConsoleFeatures();
        configure?.Invoke(builder);
        return builder.Build();
    }

    /// <summary>
    /// The features, in the order of the flow and each from its own folder: data, the change feed, the models, the help
    /// center, accounting, delivery, ingest, the email channel, the workspace, review, evaluation, training, administration, reporting.
    /// The web app adds the job server, sign-in, the API and the pages; the command line uses these alone.
    /// </summary>
    public static IHostApplicationBuilder AddSupportConsoleFeatures(this IHostApplicationBuilder builder)
    {
        builder.AddSupportConsoleData();
        builder.AddSupportConsoleChanges();
        builder.AddSupportConsoleRouting();
        builder.AddSupportConsoleKnowledge();
        builder.AddSupportConsoleAccounting();
        builder.AddSupportConsoleDelivery();
        builder.AddSupportConsoleIngest();
        builder.AddSupportConsoleEmail();
        builder.AddSupportConsoleTickets();
        builder.AddSupportConsoleReview();
        builder.AddSupportConsoleEvaluation();
        builder.AddSupportConsoleTraining();
        builder.AddSupportConsoleAdministration();
        builder.AddSupportConsoleReporting();
        return builder;
    }
}
