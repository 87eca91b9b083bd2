using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Data;
using SupportConsole.Engine.Drafting;
using SupportConsole.Engine.Pipeline;
using SupportConsole.Engine.Retrieval;
using SupportConsole.Engine.Routing;

namespace SupportConsole.Pipeline;

public static class EngineRegistration
{
    /// <summary>The engine's parts (router, embedder, knowledge index, drafting, pipeline) and the services that run tickets through it.</summary>
    public static IHostApplicationBuilder AddSupportConsoleEngine(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<GateOptions>().BindConfiguration(GateOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CostOptions>().BindConfiguration(CostOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CloudModelOptions>().BindConfiguration(CloudModelOptions.SectionName)
            .Validate(o => o.Endpoints.All(e => e.BaseUrl is { IsAbsoluteUri: true } && !string.IsNullOrWhiteSpace(e.Model) && !string.IsNullOrWhiteSpace(e.Name)),
                "every CloudModel:Endpoints entry needs a Name, an absolute BaseUrl and a Model")
            .ValidateOnStart();
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RecoveryOptions>().BindConfiguration(RecoveryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Tickets.SlaOptions>().BindConfiguration(Tickets.SlaOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ModelRegistry.EncoderProvider>();
        services.AddSingleton<ModelRegistry.ShippedRouterBuilder>();
        services.AddSingleton<ModelRegistry.RouterRegistry>();

        // For pages that only need the active router's labels or a prediction; the pipeline resolves a version per ticket.
        services.AddSingleton<IIntentRouter, ModelRegistry.ActiveIntentRouter>();
        // Retrieval embeds with the router's encoder (decision 017: recall@3 dense 0.717 -> 0.920 over the word vectors).
        services.AddSingleton<ITextEmbedder>(sp => sp.GetRequiredService<ModelRegistry.EncoderProvider>().Encoder);
        services.AddSingleton<ICloudDrafter>(sp => CreateCloudDrafter(sp.GetRequiredService<IOptions<CloudModelOptions>>().Value));
        services.AddSingleton<KnowledgeIndexProvider>();
        services.AddSingleton<SettingsStore>();
        services.AddSingleton<PolicyCache>();
        services.AddSingleton<CustomerRecordsCache>();
        services.AddSingleton<PriceTableProvider>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<Tickets.TicketEvents>();
        services.AddSingleton(sp => new TicketPipeline(
            () => sp.GetRequiredService<ModelRegistry.RouterRegistry>().Active,
            () => sp.GetRequiredService<KnowledgeIndexProvider>().Current,
            sp.GetRequiredService<ICloudDrafter>(),
            sp.GetRequiredService<PriceTableProvider>().Current,
            sp.GetRequiredService<IOptions<GateOptions>>().Value.Sources));
        services.AddSingleton<TicketIngestor>();
        services.AddSingleton<TicketProcessor>();
        services.AddSingleton<TicketIntake>();
        services.AddSingleton<TicketRecoveryService>();
        services.AddHttpClient(OutboxDispatcher.HttpClientName);
        services.AddSingleton<OutboxDestinations>();
        services.AddSingleton<OutboxDispatcher>();
        return builder;
    }

    /// <summary>
    /// Prepares the database, the router registry and the knowledge index when the host starts, before the web server
    /// takes requests (hosted services registered before the server start first), then runs ticket recovery.
    /// </summary>
    public static IHostApplicationBuilder AddSupportConsoleWorkers(this IHostApplicationBuilder builder)
    {
        // First of all hosted services, framework ones included: data protection reads its keys from the database at start.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, StartupInitializer>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TicketRecoveryService>());
        return builder;
    }

    /// <summary>Creates or migrates the database, seeds it when new, loads the active router and builds the knowledge index; call before serving.</summary>
    public static async Task InitializeSupportConsoleAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        // Instances starting together on one PostgreSQL database take turns: one migrates and seeds, the others find it done.
        await using (await StartupLock.AcquireAsync(services.GetRequiredService<IDbContextFactory<SupportConsoleDbContext>>(), cancellationToken))
        {
            await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(cancellationToken);
            await services.GetRequiredService<Reporting.RollupRebuilder>().EnsureCurrentAsync(cancellationToken);
            await using (var scope = services.CreateAsyncScope())
            {
                if (scope.ServiceProvider.GetService<Identity.DemoAccountSeeder>() is { } accounts)
                {
                    await accounts.SeedAsync();
                }
            }

            await services.GetRequiredService<ModelRegistry.RouterRegistry>().InitializeAsync(cancellationToken);
            await services.GetRequiredService<KnowledgeIndexProvider>().RebuildAsync(cancellationToken);
        }
    }

    private sealed class StartupInitializer(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => services.InitializeSupportConsoleAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static ICloudDrafter CreateCloudDrafter(CloudModelOptions options) => options.Endpoints.Count == 0
        ? new NoCloudDrafter()
        : new FailoverCloudDrafter([.. options.Endpoints.Select(e => new CloudDraftEndpoint(
            e.Name, e.BaseUrl!, e.Model, e.ApiKey, TimeSpan.FromSeconds(e.TimeoutSeconds),
            new CloudPrice(e.InputUsdPerMillionTokens, e.OutputUsdPerMillionTokens)))]);
}
