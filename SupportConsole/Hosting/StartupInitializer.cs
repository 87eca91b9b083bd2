using Microsoft.EntityFrameworkCore;
using SupportConsole.Accounting;
using SupportConsole.Data;
using SupportConsole.Identity;
using SupportConsole.Knowledge;
using SupportConsole.Routing;

namespace SupportConsole.Hosting;

public static class StartupRegistration
{
    /// <summary>
    /// Prepares the database, the router registry and the knowledge index when the host starts, before the web server
    /// takes requests (hosted services registered before the server start first).
    /// </summary>
    public static IHostApplicationBuilder AddSupportConsoleStartup(this IHostApplicationBuilder builder)
    {
        // First of all hosted services, framework ones included: data protection reads its keys from the database at start.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, StartupInitializer>());
        return builder;
    }

    /// <summary>Creates or migrates the database, seeds it when new, loads the active router and builds the knowledge index; call before serving.</summary>
    public static async Task InitializeSupportConsoleAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        // Instances starting together on one PostgreSQL database take turns: one migrates and seeds, the others find it done.
        await using (await StartupLock.AcquireAsync(services.GetRequiredService<IDbContextFactory<SupportConsoleDbContext>>(), cancellationToken))
        {
            await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(cancellationToken);
            await services.GetRequiredService<RollupRebuilder>().EnsureCurrentAsync(cancellationToken);
            await using (var scope = services.CreateAsyncScope())
            {
                if (scope.ServiceProvider.GetService<DemoAccountSeeder>() is { } accounts)
                {
                    await accounts.SeedAsync();
                }
            }

            await services.GetRequiredService<RouterRegistry>().InitializeAsync(cancellationToken);
            await services.GetRequiredService<KnowledgeIndexProvider>().RebuildAsync(cancellationToken);
        }
    }

    private sealed class StartupInitializer(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => services.InitializeSupportConsoleAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
