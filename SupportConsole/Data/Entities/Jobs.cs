namespace SupportConsole.Data.Entities;

/// <summary>Where a background job run is; Hangfire executes it, this row is its outcome in the app's own database.</summary>
public enum JobRunState
{
    /// <summary>Waiting for a worker (also between retries).</summary>
    Queued,

    Running,

    Succeeded,

    /// <summary>Failed on its last attempt; <see cref="JobRun.Error"/> says why.</summary>
    Failed,

    Cancelled,
}

/// <summary>
/// One run of a background job: what it was asked to do, by whom, how far it got and how it ended. Hangfire's own
/// storage is in memory on the embedded default, so this row is what survives a restart (and what start-up catches
/// up from).
/// </summary>
public sealed class JobRun
{
    public Guid Id { get; set; }

    /// <summary>Which job: one of <see cref="JobKinds"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>Runs of one kind with the same key do the same work (for example one knowledge-base content version).</summary>
    public required string WorkKey { get; set; }

    /// <summary>
    /// Equal to <see cref="WorkKey"/> while the run is queued or running, null once it ended: a unique index on
    /// (kind, active key) makes a second enqueue of the same work find the first run instead of starting another.
    /// </summary>
    public string? ActiveKey { get; set; }

    public JobRunState State { get; set; }

    /// <summary>0 to 1.</summary>
    public double Progress { get; set; }

    public string? ProgressMessage { get; set; }

    public string? HangfireJobId { get; set; }

    /// <summary>Who asked: a user's name, <c>schedule</c>, <c>startup</c> or the job that chained it.</summary>
    public required string TriggeredBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Executions so far (a retry is another attempt).</summary>
    public int Attempts { get; set; }

    public bool CancelRequested { get; set; }

    public string? CancelRequestedBy { get; set; }

    public string? Error { get; set; }

    /// <summary>JSON: what the run produced (index version, evaluation run id, model version...).</summary>
    public string? ResultJson { get; set; }
}

/// <summary>The kinds of background job.</summary>
public static class JobKinds
{
    public const string KnowledgeReembed = "kb-reembed";
    public const string GoldenEvaluation = "golden-evaluation";
    public const string RouterRetrain = "router-retrain";

    public static readonly IReadOnlyList<string> All = [KnowledgeReembed, GoldenEvaluation, RouterRetrain];

    public static string Title(string kind) => kind switch
    {
        KnowledgeReembed => "Re-embed the knowledge base",
        GoldenEvaluation => "Golden-set evaluation",
        RouterRetrain => "Retrain the router",
        _ => kind,
    };
}

/// <summary>A help-center index version that was built and went live: what it holds and how long it took.</summary>
public sealed class KnowledgeIndexBuild
{
    public Guid Id { get; set; }

    /// <summary>Content hash of the indexed text, settings and embedder: equal content, equal version.</summary>
    public required string IndexVersion { get; set; }

    public required string EmbedderVersion { get; set; }

    public int Articles { get; set; }

    public int Chunks { get; set; }

    public double DurationMilliseconds { get; set; }

    public DateTimeOffset BuiltAt { get; set; }

    public required string BuiltBy { get; set; }

    public Guid? JobRunId { get; set; }
}
