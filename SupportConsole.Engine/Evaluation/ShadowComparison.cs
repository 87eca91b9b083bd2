using System.Globalization;

namespace SupportConsole.Engine.Evaluation;

/// <summary>How much worse than the current model a candidate may be, per measure, and still replace it.</summary>
public sealed record ShadowTolerance(double MaxAccuracyDrop, double MaxBadAnswerRateIncrease, double MaxCorrectAutoShareDrop, int MinLabelledRecentTickets = 30);

/// <summary>One model's golden-set figures in a comparison.</summary>
public sealed record ModelScore(
    string Version,
    double Accuracy,
    double MacroF1,
    double CertifiedShare,
    double? CertifiedPrecision,
    double AutoResolvedShare,
    double CorrectAutoShare,
    double BadAnswerRate);

/// <summary>Per intent, the current and candidate figures on the golden set.</summary>
public sealed record IntentDelta(
    string Intent,
    int Tickets,
    double CurrentAccuracy,
    double CandidateAccuracy,
    double? CurrentPrecision,
    double? CandidatePrecision,
    double CurrentCoverage,
    double CandidateCoverage);

/// <summary>Both models on recent real tickets: how often they agree and, where an agent's label exists, who was right.</summary>
public sealed record RecentTrafficComparison(int Tickets, double Agreement, int Labelled, double? CurrentAccuracy, double? CandidateAccuracy)
{
    public static readonly RecentTrafficComparison None = new(0, 0, 0, null, null);
}

/// <summary>The shadow evaluation of a candidate against the current model, and whether it may be promoted.</summary>
public sealed record ShadowReport(
    ModelScore Current,
    ModelScore Candidate,
    int GoldenTickets,
    int CandidateOnlyRight,
    int CurrentOnlyRight,
    IReadOnlyList<IntentDelta> Intents,
    RecentTrafficComparison Recent,
    bool Promote,
    IReadOnlyList<string> Reasons);

/// <summary>Paired comparison of two models on the same golden tickets (and recent traffic) with a no-regression rule.</summary>
public static class ShadowComparison
{
    public static ShadowReport Compare(string currentVersion, GoldenSetReport current, string candidateVersion, GoldenSetReport candidate,
        RecentTrafficComparison recent, ShadowTolerance tolerance)
    {
        if (current.Predictions.Count != candidate.Predictions.Count)
        {
            throw new ArgumentException("both models must be evaluated on the same golden tickets", nameof(candidate));
        }

        var currentScore = Score(currentVersion, current);
        var candidateScore = Score(candidateVersion, candidate);
        var pairs = current.Predictions.Zip(candidate.Predictions).ToList();
        var candidateOnly = pairs.Count(p => p.Second.PredictedIntent == p.Second.ExpectedIntent && p.First.PredictedIntent != p.First.ExpectedIntent);
        var currentOnly = pairs.Count(p => p.First.PredictedIntent == p.First.ExpectedIntent && p.Second.PredictedIntent != p.Second.ExpectedIntent);
        var candidateIntents = candidate.PerIntent.ToDictionary(i => i.Intent, StringComparer.Ordinal);
        var intents = current.PerIntent.Where(i => i.Tickets > 0).Select(i =>
        {
            var c = candidateIntents.GetValueOrDefault(i.Intent);
            return new IntentDelta(i.Intent, i.Tickets, i.Accuracy, c?.Accuracy ?? 0, i.Precision, c?.Precision, i.Coverage, c?.Coverage ?? 0);
        }).ToList();

        var reasons = new List<string>();
        var regressed = false;
        void Check(bool worse, string measure, double before, double after, double allowed, bool higherIsBetter = true)
        {
            var text = string.Create(CultureInfo.InvariantCulture, $"{measure} {before:0.0000} -> {after:0.0000}");
            if (worse)
            {
                regressed = true;
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{text}: worse by more than the tolerance {allowed:0.0000}"));
            }
            else
            {
                reasons.Add($"{text}: within tolerance" + ((higherIsBetter ? after > before : after < before) ? " (better)" : string.Empty));
            }
        }

        Check(candidateScore.Accuracy < currentScore.Accuracy - tolerance.MaxAccuracyDrop, "golden router accuracy", currentScore.Accuracy,
            candidateScore.Accuracy, tolerance.MaxAccuracyDrop);
        Check(candidateScore.BadAnswerRate > currentScore.BadAnswerRate + tolerance.MaxBadAnswerRateIncrease, "golden bad-answer rate",
            currentScore.BadAnswerRate, candidateScore.BadAnswerRate, tolerance.MaxBadAnswerRateIncrease, higherIsBetter: false);
        Check(candidateScore.CorrectAutoShare < currentScore.CorrectAutoShare - tolerance.MaxCorrectAutoShareDrop, "golden correctly auto-resolved share",
            currentScore.CorrectAutoShare, candidateScore.CorrectAutoShare, tolerance.MaxCorrectAutoShareDrop);
        if (recent.Labelled >= tolerance.MinLabelledRecentTickets && recent.CurrentAccuracy is { } before && recent.CandidateAccuracy is { } after)
        {
            Check(after < before - tolerance.MaxAccuracyDrop, $"accuracy on {recent.Labelled} labelled recent tickets", before, after, tolerance.MaxAccuracyDrop);
        }
        else
        {
            reasons.Add($"recent tickets: {recent.Labelled} labelled (fewer than {tolerance.MinLabelledRecentTickets}), not used to decide");
        }

        return new ShadowReport(currentScore, candidateScore, pairs.Count, candidateOnly, currentOnly, intents, recent, !regressed, reasons);
    }

    private static ModelScore Score(string version, GoldenSetReport report)
    {
        var expectedAuto = report.Predictions.Count(p => p.ExpectedBand == "auto");
        var correctAuto = report.Predictions.Count(p => p.ExpectedBand == "auto" && p.Band == "auto" && !p.BadAnswer);
        return new ModelScore(version, report.RouterAccuracy, report.MacroF1, report.CertifiedShare, report.CertifiedPrecision, report.AutoResolvedShare,
            expectedAuto == 0 ? 0 : correctAuto / (double)expectedAuto, report.BadAnswerRate);
    }
}
