namespace SupportConsole.Engine.Accounting;

/// <summary>What the host allows the pipeline to spend on one customer's ticket (from the customer's budget).</summary>
/// <param name="CloudDeferralStopped">True: an uncertified ticket is not sent to the cloud model.</param>
/// <param name="Reason">Why, in words, for the gate's stored reason.</param>
public sealed record CustomerLimits(bool CloudDeferralStopped, string? Reason = null)
{
    public static readonly CustomerLimits None = new(false);

    /// <summary>The reason code the gate stores when a budget kept a ticket away from the cloud model.</summary>
    public const string CloudStoppedCode = "budget-cloud-stopped";
}
