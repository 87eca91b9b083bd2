namespace SupportConsole.Data.Entities;

/// <summary>
/// One replay of the golden set through the engine (nothing sent, no queue touched) and what it measured, with the
/// versions of everything that decided: router, help-center index, policy.
/// </summary>
public sealed class EvaluationRun
{
    public Guid Id { get; set; }

    public Guid? JobRunId { get; set; }

    /// <summary>Who or what started it: <c>schedule</c>, a user, <c>cli</c>, or <c>shadow:&lt;model&gt;</c> for a candidate.</summary>
    public required string Trigger { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset FinishedAt { get; set; }

    public required string RouterVersion { get; set; }

    public required string KnowledgeIndexVersion { get; set; }

    public long PolicyVersion { get; set; }

    public double TargetPrecision { get; set; }

    public int Tickets { get; set; }

    public double RouterAccuracy { get; set; }

    public double MacroF1 { get; set; }

    public double CertifiedShare { get; set; }

    public double? CertifiedPrecision { get; set; }

    /// <summary>Golden tickets whose expected band is auto.</summary>
    public int ExpectedAuto { get; set; }

    public int AutoReplies { get; set; }

    public int BadAutoReplies { get; set; }

    /// <summary>Share of the expected-auto tickets that were auto-resolved.</summary>
    public double AutoResolvedShare { get; set; }

    /// <summary>Auto replies with the wrong intent or the wrong article, over all auto replies.</summary>
    public double BadAnswerRate { get; set; }

    public double? MeanGroundedness { get; set; }

    public double? MinGroundedness { get; set; }

    public double RetrievalRecallAt3 { get; set; }

    public double LatencyP50Milliseconds { get; set; }

    public double LatencyP95Milliseconds { get; set; }

    /// <summary>JSON: p50 and p95 per stage.</summary>
    public required string StageLatencyJson { get; set; }

    /// <summary>JSON: per intent, tickets, predicted, certified, precision and coverage at the thresholds in force.</summary>
    public required string PerIntentJson { get; set; }

    /// <summary>JSON: per golden ticket, expected and predicted intent, confidence, certified, band, article (for the Bands what-if and comparisons).</summary>
    public required string PredictionsJson { get; set; }

    public bool AlertRaised { get; set; }

    public string? AlertReason { get; set; }

    /// <summary>The run engaged the kill switch (an admin enabled that for failed evaluations).</summary>
    public bool EngagedKillSwitch { get; set; }
}

/// <summary>What a router version is in the registry.</summary>
public enum RouterModelState
{
    /// <summary>Routes every new ticket.</summary>
    Active,

    /// <summary>Trained, not (yet) promoted.</summary>
    Candidate,

    /// <summary>Trained and shadow-evaluated, but it regressed; the reason is kept.</summary>
    Rejected,

    /// <summary>Was active once; can be rolled back to.</summary>
    Retired,
}

/// <summary>A router model version in the registry: its card, where it came from and what was decided about it.</summary>
public sealed class RouterModelVersion
{
    public required string VersionId { get; set; }

    /// <summary><c>shipped</c> (bundled with the app) or <c>retrained</c>.</summary>
    public required string Origin { get; set; }

    public RouterModelState State { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CardJson { get; set; }

    public required string OnnxSha256 { get; set; }

    public long OnnxBytes { get; set; }

    public int TrainingRows { get; set; }

    public string? TrainingDataHash { get; set; }

    public double? HeldOutAccuracy { get; set; }

    public double? HeldOutCertifiedCoverage { get; set; }

    public Guid? JobRunId { get; set; }

    /// <summary>JSON: the shadow comparison against the model that was active when this one was trained.</summary>
    public string? ShadowReportJson { get; set; }

    /// <summary>Why it was promoted or rejected.</summary>
    public string? DecisionReason { get; set; }

    public DateTimeOffset? ActivatedAt { get; set; }

    public string? ActivatedBy { get; set; }
}

/// <summary>The ONNX file of a router version, apart from its registry row so listing versions never loads it.</summary>
public sealed class RouterModelFile
{
    public required string VersionId { get; set; }

    public required byte[] Content { get; set; }
}

public enum SecondOpinionVerdict
{
    /// <summary>The auto reply was right.</summary>
    Correct,

    /// <summary>The router picked the wrong intent.</summary>
    WrongIntent,

    /// <summary>Right intent, but the reply or its source was wrong.</summary>
    WrongAnswer,
}

/// <summary>An auto-resolved ticket sampled for an agent to check after the fact; verdicts measure the live bad-answer rate.</summary>
public sealed class SecondOpinionReview
{
    public Guid Id { get; set; }

    public Guid TicketId { get; set; }

    public DateTimeOffset QueuedAt { get; set; }

    public SecondOpinionVerdict? Verdict { get; set; }

    public string? CorrectIntent { get; set; }

    public string? Note { get; set; }

    public string? ReviewedBy { get; set; }

    public DateTimeOffset? ReviewedAt { get; set; }
}
