using System.ComponentModel.DataAnnotations;

namespace SupportConsole.Jobs;

/// <summary>Configuration section <c>Jobs</c>: the in-process Hangfire server, its storage and the schedules of the recurring jobs (cron, UTC).</summary>
public sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Run the Hangfire server in this process (an instance that only serves pages may turn it off).</summary>
    public bool RunServer { get; set; } = true;

    [Range(1, 64)]
    public int WorkerCount { get; set; } = 2;

    /// <summary>How often delayed jobs (retries, scheduled outbox passes) are looked at.</summary>
    [Range(0.2, 60)]
    public double SchedulePollingSeconds { get; set; } = 1;

    [Required]
    public string KnowledgeReembedCron { get; set; } = "0 2 * * *";

    [Required]
    public string GoldenEvaluationCron { get; set; } = "0 3 * * *";

    [Required]
    public string RouterRetrainCron { get; set; } = "0 4 * * 0";

    /// <summary>A sweep of the outbox for replies whose retry came due (deliveries are also triggered at once).</summary>
    [Required]
    public string OutboxSweepCron { get; set; } = "* * * * *";

    /// <summary>
    /// SQLite job storage: how often an idle worker looks for a new job (the storage polls; an enqueue does not wake a
    /// worker), so the longest a job waits to start on an idle server.
    /// </summary>
    [Range(0.05, 15)]
    public double QueuePollSeconds { get; set; } = 0.5;

    /// <summary>
    /// SQLite job storage: a fetched job is given to another worker after this long, so it must outlast the longest job
    /// (a retraining). A crashed process's jobs are not held that long: they are queued again at the next start.
    /// </summary>
    [Range(0.5, 72)]
    public double FetchedJobTimeoutHours { get; set; } = 6;

    /// <summary>How long succeeded and deleted jobs stay in the Hangfire dashboard (its history).</summary>
    [Range(1, 90)]
    public double JobHistoryDays { get; set; } = 7;
}
