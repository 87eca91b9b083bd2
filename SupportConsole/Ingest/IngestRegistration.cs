using Microsoft.Extensions.Options;
using SupportConsole.Engine.Drafting;
using SupportConsole.Engine.Pipeline;
using SupportConsole.Knowledge;
using SupportConsole.Routing;

namespace SupportConsole.Ingest;

public static class IngestRegistration
{
    /// <summary>
    /// The way in: intake (validation, idempotency), the engine's ticket pipeline with the policy, customer records and
    /// prices it reads per ticket, the optional cloud drafter, and the recovery of tickets a stopped process left half done.
    /// </summary>
    public static IHostApplicationBuilder AddSupportConsoleIngest(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CostOptions>().BindConfiguration(CostOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CloudModelOptions>().BindConfiguration(CloudModelOptions.SectionName)
            .Validate(o => o.Endpoints.All(e => e.BaseUrl is { IsAbsoluteUri: true } && !string.IsNullOrWhiteSpace(e.Model) && !string.IsNullOrWhiteSpace(e.Name)),
                "every CloudModel:Endpoints entry needs a Name, an absolute BaseUrl and a Model")
            .ValidateOnStart();
        services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RecoveryOptions>().BindConfiguration(RecoveryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<ICloudDrafter>(sp => CreateCloudDrafter(sp.GetRequiredService<IOptions<CloudModelOptions>>().Value));
        services.AddSingleton<PolicyCache>();
        services.AddSingleton<CustomerRecordsCache>();
        services.AddSingleton<PriceTableProvider>();
        services.AddSingleton(sp => new TicketPipeline(
            () => sp.GetRequiredService<RouterRegistry>().Active,
            () => sp.GetRequiredService<KnowledgeIndexProvider>().Current,
            sp.GetRequiredService<ICloudDrafter>(),
            sp.GetRequiredService<PriceTableProvider>().Current,
            sp.GetRequiredService<IOptions<Data.GateOptions>>().Value.Sources));
        services.AddSingleton<TicketIngestor>();
        services.AddSingleton<TicketProcessor>();
        services.AddSingleton<TicketIntake>();
        services.AddSingleton<TicketRecoveryService>();
        return builder;
    }

    /// <summary>Runs ticket recovery once the app has started (in the web app; the command line recovers on demand).</summary>
    public static IHostApplicationBuilder AddSupportConsoleIngestRecovery(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TicketRecoveryService>());
        return builder;
    }

    private static ICloudDrafter CreateCloudDrafter(CloudModelOptions options) => options.Endpoints.Count == 0
        ? new NoCloudDrafter()
        : new FailoverCloudDrafter([.. options.Endpoints.Select(e => new CloudDraftEndpoint(
            e.Name, e.BaseUrl!, e.Model, e.ApiKey, TimeSpan.FromSeconds(e.TimeoutSeconds),
            new CloudPrice(e.InputUsdPerMillionTokens, e.OutputUsdPerMillionTokens)))]);
}
