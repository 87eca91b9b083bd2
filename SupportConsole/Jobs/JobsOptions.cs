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

/// <summary>Configuration section <c>Evaluation</c>: the nightly golden-set run and when it raises an alert.</summary>
public sealed class EvaluationOptions
{
    public const string SectionName = "Evaluation";

    /// <summary>The golden set (CSV with text, category, expected_band, expected_article, customer_id); relative to the app's folder.</summary>
    [Required]
    public string GoldenSetPath { get; set; } = "data/tenant/golden-set.csv";

    /// <summary>A run whose bad-answer rate of auto replies is above this raises an alert.</summary>
    [Range(0.0, 1.0)]
    public double BadAnswerBudget { get; set; } = 0.02;

    /// <summary>Where alerts are POSTed (JSON, header X-Message-Id, retried through the outbox). Unset: UI banner only.</summary>
    public Uri? AlertWebhookUrl { get; set; }
}

/// <summary>Configuration section <c>Retraining</c>: what the router is retrained from and when a candidate may replace it.</summary>
public sealed class RetrainingOptions
{
    public const string SectionName = "Retraining";

    /// <summary>The shipped training data the agents' labels are added to; relative to the app's folder.</summary>
    [Required]
    public string BaseTrainingData { get; set; } = "data/banking77/train.csv";

    [Range(2, 20)]
    public int Folds { get; set; } = 10;

    [Range(4, 2048)]
    public int HiddenUnits { get; set; } = 128;

    [Range(1, 100)]
    public int MaxEpochs { get; set; } = 12;

    /// <summary>An intent with fewer held-out tickets than this is never certified by the candidate.</summary>
    [Range(2, 10_000)]
    public int MinIntentSamples { get; set; } = 25;

    public int Seed { get; set; } = 13;

    /// <summary>Recent decided tickets both models route in the shadow comparison.</summary>
    [Range(0, 100_000)]
    public int ShadowTickets { get; set; } = 500;

    /// <summary>The candidate may lose at most this much golden-set router accuracy.</summary>
    [Range(0.0, 1.0)]
    public double MaxAccuracyDrop { get; set; } = 0.005;

    /// <summary>The candidate's golden bad-answer rate may exceed the current one's by at most this much.</summary>
    [Range(0.0, 1.0)]
    public double MaxBadAnswerRateIncrease { get; set; } = 0.005;

    /// <summary>The candidate may lose at most this much of the share of expected-auto tickets answered rightly by auto.</summary>
    [Range(0.0, 1.0)]
    public double MaxCorrectAutoShareDrop { get; set; } = 0.02;

    /// <summary>Skip the weekly run when nothing new was labelled since the active model was trained.</summary>
    public bool SkipWhenUnchanged { get; set; } = true;
}
