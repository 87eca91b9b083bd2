using Hangfire;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Data;
using SupportConsole.Identity;

namespace SupportConsole.Jobs;

public static class JobsRegistration
{
    /// <summary>Dashboard path; admins only.</summary>
    public const string DashboardPath = "/jobs";

    /// <summary>
    /// Hangfire in this process (on SQLite in its own file beside the app's database, on PostgreSQL in its schema), the
    /// jobs and what they use, the recurring schedules and the start-up reconciliation of runs with Hangfire's queue.
    /// </summary>
    public static IHostApplicationBuilder AddSupportConsoleJobs(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        // Per app, not Hangfire's process-wide statics: two hosts in one process (tests) must not share jobs, and
        // Hangfire's one process-wide log provider must outlive any single host.
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(HangfireLogBridge.Instance);
        // On PostgreSQL the queue is durable and shared: every instance sees every job, each runs once.
        if (DataRegistration.ProviderOf(builder.Configuration) == DatabaseProvider.Postgres)
        {
            services.AddSingleton<JobStorage>(sp =>
            {
                // Long polling: workers LISTEN for Hangfire's NOTIFY, so an enqueued job (an outbox pass, a retry that
                // came due) starts at once on some instance instead of at the next 15-second queue poll.
                var storageOptions = new PostgreSqlStorageOptions
                {
                    SchemaName = "hangfire",
                    PrepareSchemaIfNecessary = true,
                    EnableLongPolling = true,
                    QueuePollInterval = TimeSpan.FromSeconds(5),
                };
                var connectionString = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString!;
                return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions);
            });
        }
        else
        {
            var runsServer = RunsServer(builder.Configuration);
            services.AddSingleton(sp => EmbeddedJobStorage.Open(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ResolveDataDirectory(),
                sp.GetRequiredService<IOptions<JobsOptions>>().Value, runsServer));
            services.AddSingleton<JobStorage>(sp => sp.GetRequiredService<EmbeddedJobStorage>().Storage);
        }

        services.AddSingleton<JobActivator>(sp => new ScopedJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, configuration) =>
        {
            HangfireLogBridge.Instance.Attach(sp.GetRequiredService<ILoggerFactory>());
            configuration
                .UseLogProvider(HangfireLogBridge.Instance)
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
        });
        // Before the server: runs the last process left behind are reconciled with Hangfire's queue before any worker fetches.
        services.AddHostedService<JobsStartup>();
        if (RunsServer(builder.Configuration))
        {
            services.AddHangfireServer((sp, server) =>
            {
                var options = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
                server.WorkerCount = options.WorkerCount;
                server.SchedulePollingInterval = TimeSpan.FromSeconds(options.SchedulePollingSeconds);
                server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";

                // Jobs honour their cancellation token; a stop should not wait longer than the host does.
                server.ShutdownTimeout = TimeSpan.FromSeconds(10);
            });
        }

        services.AddSingleton<JobRunStore>();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<JobScheduler>();

        // Timing and exactly-once checks of the job server itself (bench jobs, the soak, tests).
        services.AddSingleton<JobProbeRecorder>();
        services.AddTransient<JobProbe>();
        return builder;
    }

    private static bool RunsServer(IConfiguration configuration) =>
        configuration.GetValue($"{JobsOptions.SectionName}:{nameof(JobsOptions.RunServer)}", true);

    /// <summary>The Hangfire dashboard at <see cref="DashboardPath"/>, behind the admin policy (a manager gets 403).</summary>
    public static IEndpointRouteBuilder MapJobsDashboard(this IEndpointRouteBuilder app)
    {
        var storage = app.ServiceProvider.GetRequiredService<JobStorage>();
        var runs = app.ServiceProvider.GetRequiredService<IDbContextFactory<SupportConsoleDbContext>>();
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            // Authorization is the endpoint's (ASP.NET Core policy), so Hangfire's own local-requests-only filter is off.
            Authorization = [],
            AppPath = "/admin/jobs",
            DashboardTitle = "SupportConsole jobs",
            DisplayNameFunc = (_, job) => DisplayName(job, runs),
        }, storage).RequireAuthorization(Policies.Admin);
        return app;
    }

    /// <summary>The job's name with its run's progress, read from the runs table, so the dashboard shows how far each job is.</summary>
    private static string DisplayName(Job job, IDbContextFactory<SupportConsoleDbContext> contexts)
    {
        var name = job.Method.GetCustomAttributes(typeof(JobDisplayNameAttribute), true).OfType<JobDisplayNameAttribute>().FirstOrDefault()?.DisplayName
            ?? $"{job.Type.Name}.{job.Method.Name}";
        if (job.Args.Count == 0 || job.Args[0] is not Guid runId)
        {
            return name.Replace(" (run {0})", string.Empty, StringComparison.Ordinal);
        }

        using var db = contexts.CreateDbContext();
        var run = db.JobRuns.AsNoTracking().FirstOrDefault(r => r.Id == runId);
        var title = name.Replace("{0}", runId.ToString()[..8], StringComparison.Ordinal);
        return run is null ? title : $"{title}: {run.State}, {run.Progress:P0} - {run.ProgressMessage}";
    }

    /// <summary>Creates each job in its own DI scope of this app.</summary>
    private sealed class ScopedJobActivator(IServiceScopeFactory scopes) : JobActivator
    {
        public override JobActivatorScope BeginScope(JobActivatorContext context) => new Scope(scopes.CreateScope());

        private sealed class Scope(IServiceScope scope) : JobActivatorScope
        {
            public override object Resolve(Type type) => ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, type);

            public override void DisposeScope() => scope.Dispose();
        }
    }
}

/// <summary>
/// At start-up, after the database is ready and before the job server fetches anything: registers the recurring jobs
/// under stable ids (a schedule missed while the process was down fires once when it is back: Hangfire's misfire
/// handling on durable storage), and on the embedded default, whose job file this process owns, reconciles the runs
/// table with Hangfire's queue: a run the last process was executing is shown as queued again (its Hangfire job is
/// fetched again and finishes it), and a run whose Hangfire job is missing or ended without finishing it (a crash
/// between the two writes, a database from the in-memory days) is handed to Hangfire again.
/// </summary>
internal sealed class JobsStartup(
    IRecurringJobManager recurring,
    IEnumerable<RecurringJobRegistration> schedules,
    JobScheduler scheduler,
    JobRunStore runs,
    JobStorage storage,
    IServiceProvider services,
    IOptions<JobsOptions> options,
    ILogger<JobsStartup> logger) : IHostedService
{
    private static readonly string[] EndedStates = [SucceededState.StateName, DeletedState.StateName, FailedState.StateName];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        foreach (var schedule in schedules)
        {
            schedule.AddOrUpdate(recurring, settings);
        }

        if (services.GetService<EmbeddedJobStorage>() is not { IsOwner: true } embedded)
        {
            return;
        }

        var cleanup = embedded.Cleanup;
        if (cleanup.FetchedJobs + cleanup.Locks + cleanup.Servers > 0)
        {
            logger.LogInformation("The last process left {Jobs} fetched jobs (queued again), {Locks} locks and {Servers} server records (removed)",
                cleanup.FetchedJobs, cleanup.Locks, cleanup.Servers);
        }

        using var connection = storage.GetConnection();
        foreach (var run in await runs.InterruptedAsync(cancellationToken))
        {
            var job = run.HangfireJobId is { } id ? connection.GetJobData(id) : null;
            if (job is null || EndedStates.Contains(job.State))
            {
                logger.LogInformation("Job run {RunId} ({Kind}) has no Hangfire job to finish it; queued again", run.Id, run.Kind);
                await scheduler.RequeueAsync(run, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
