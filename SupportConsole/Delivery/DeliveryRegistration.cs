using Microsoft.Extensions.Options;
using SupportConsole.Data.Entities;
using SupportConsole.Jobs;

namespace SupportConsole.Delivery;

public static class DeliveryRegistration
{
    /// <summary>The way out: the outbox, its webhook destinations, the dispatcher and the job that runs it (at once, on retries, every minute).</summary>
    public static IHostApplicationBuilder AddSupportConsoleDelivery(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OutboxSignal>();
        services.AddHttpClient(OutboxDispatcher.HttpClientName);
        services.AddOutboxRoute<OutboxOptions>(OutboxKinds.Reply, o => o.WebhookUrl);
        services.AddSingleton<OutboxDestinations>();
        services.AddSingleton<OutboxDispatcher>();
        return builder;
    }

    /// <summary>Deliveries as jobs: a pass as soon as a message waits, and the sweep (needs the job server, <c>AddSupportConsoleJobs</c>).</summary>
    public static IHostApplicationBuilder AddSupportConsoleDeliveryJobs(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<OutboxDeliveryTrigger>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDeliveryTrigger>());
        services.AddRecurringJob<OutboxDeliveryJob>(OutboxDeliveryJob.RecurringId, j => j.RunAsync(CancellationToken.None), o => o.OutboxSweepCron);
        return builder;
    }

    /// <summary>Messages of <paramref name="kind"/> go to the URL <paramref name="destination"/> reads from the current <typeparamref name="TOptions"/>.</summary>
    public static IServiceCollection AddOutboxRoute<TOptions>(this IServiceCollection services, string kind, Func<TOptions, Uri?> destination)
        where TOptions : class => services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<TOptions>>();
            return new OutboxRoute(kind, () => destination(options.CurrentValue));
        });
}
