using System.ComponentModel.DataAnnotations;

namespace SupportConsole.Training;

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
