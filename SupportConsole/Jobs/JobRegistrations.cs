using Hangfire;
using Hangfire.Server;

namespace SupportConsole.Jobs;

/// <summary>
/// A job the runs table tracks (queued, running, progress, result): started on request with a run id, and on a
/// schedule, when it finds or creates its own run.
/// </summary>
public interface ITrackedJob
{
    Task RunAsync(Guid runId, CancellationToken cancellationToken);

    Task RunScheduledAsync(PerformContext context, CancellationToken cancellationToken);
}

/// <summary>How Hangfire is asked to run one run of a job kind; <see cref="JobScheduler"/> looks the kind up here.</summary>
public sealed record JobKindRegistration(string Kind, Func<IBackgroundJobClient, Guid, string> Enqueue);

/// <summary>A schedule registered at start-up under a stable id, its cron read from <see cref="JobsOptions"/>.</summary>
public sealed record RecurringJobRegistration(string Id, Action<IRecurringJobManager, JobsOptions> AddOrUpdate);

/// <summary>How a feature adds its background jobs: the feature owns the job, the job server only runs it.</summary>
public static class JobRegistrationExtensions
{
    private static readonly RecurringJobOptions Utc = new() { TimeZone = TimeZoneInfo.Utc };

    /// <summary>A tracked job of <paramref name="kind"/>, also run on the schedule <paramref name="cron"/> under <paramref name="recurringId"/>.</summary>
    public static IServiceCollection AddTrackedJob<TJob>(this IServiceCollection services, string kind, string recurringId, Func<JobsOptions, string> cron)
        where TJob : class, ITrackedJob
    {
        services.AddTransient<TJob>();
        services.AddSingleton(new JobKindRegistration(kind, (client, runId) => client.Enqueue<TJob>(j => j.RunAsync(runId, CancellationToken.None))));
        services.AddSingleton(new RecurringJobRegistration(recurringId, (manager, options) =>
            manager.AddOrUpdate<TJob>(recurringId, j => j.RunScheduledAsync(null!, CancellationToken.None), cron(options), Utc)));
        return services;
    }

    /// <summary>An untracked job that runs on the schedule <paramref name="cron"/> under <paramref name="recurringId"/>.</summary>
    public static IServiceCollection AddRecurringJob<TJob>(this IServiceCollection services, string recurringId,
        System.Linq.Expressions.Expression<Func<TJob, Task>> call, Func<JobsOptions, string> cron)
        where TJob : class
    {
        services.AddTransient<TJob>();
        services.AddSingleton(new RecurringJobRegistration(recurringId, (manager, options) => manager.AddOrUpdate(recurringId, call, cron(options), Utc)));
        return services;
    }
}
