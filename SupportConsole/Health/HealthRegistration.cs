using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SupportConsole.Data;
using SupportConsole.Routing;

namespace SupportConsole.Health;

/// <summary>
/// <c>/health</c>: ready to decide tickets, the database and the router answer (503 when either does not), one entry per
/// check. <c>/health/live</c>: the process serves HTTP at all, and nothing else (no check runs), for a supervisor that
/// restarts dead processes: a database outage must not make it restart every instance.
/// </summary>
public static class HealthRegistration
{
    public const string ReadyPath = "/health";
    public const string LivePath = "/health/live";

    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IHostApplicationBuilder AddSupportConsoleHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", HealthStatus.Unhealthy, timeout: CheckTimeout)
            .AddCheck<RouterHealthCheck>("router", HealthStatus.Unhealthy, timeout: CheckTimeout);
        return builder;
    }

    public static IEndpointRouteBuilder MapSupportConsoleHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { ResponseWriter = WriteAsync });
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status == HealthStatus.Healthy ? "ok" : report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString().ToLowerInvariant(), detail = e.Value.Description }),
        }));
    }
}

/// <summary>The database answers a query on the settings table (what every ticket reads first).</summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<SupportConsoleDbContext> contexts) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            return await db.Settings.AsNoTracking().AnyAsync(cancellationToken)
                ? HealthCheckResult.Healthy($"{db.Database.ProviderName} answers")
                : HealthCheckResult.Unhealthy("the database has no settings: it was never initialised");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"the database does not answer: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
        }
    }
}

/// <summary>The active router is loaded and routes a sentence.</summary>
public sealed class RouterHealthCheck(RouterRegistry registry) : IHealthCheck
{
    private const string Probe = "I would like to check the health of the router";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var router = registry.Active;
            var prediction = router.Route(Probe);
            return Task.FromResult(HealthCheckResult.Healthy($"router {router.Card.VersionId} answers ({prediction.Intent})"));
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"the router does not answer: {e.GetType().Name}: {e.Message.Split('\n')[0]}"));
        }
    }
}
