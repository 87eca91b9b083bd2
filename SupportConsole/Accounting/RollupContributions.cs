using System.Text.Json;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Gate;

namespace SupportConsole.Accounting;

/// <summary>One receipt as the rollups see it.</summary>
public sealed record ReceiptFact(string Stage, string Model, bool IsLocal, long CostNanosUsd, int InputTokens, int OutputTokens);

/// <summary>A decision (a ticket's first, or a follow-up's) as the rollups see it; <see cref="DecidedAt"/> is the decision's time.</summary>
public sealed record DecisionFacts(
    string Channel,
    string CustomerId,
    DateTimeOffset DecidedAt,
    string Intent,
    ConfidenceBand Band,
    IReadOnlyCollection<string> ReasonCodes,
    IReadOnlyList<ReceiptFact> Receipts)
{
    public DateOnly Day => RollupContributions.DayOf(DecidedAt);

    /// <summary>The routing of a customer's follow-up: its costs count, the ticket was counted with its first decision.</summary>
    public bool FollowUp { get; init; }
}

/// <summary>
/// The rollup rows a fact contributes: a decision, a first response, an agent's review of a draft. The live path
/// (TicketProcessor, TicketActions) and the rebuild from the fact tables use these same functions, so they agree.
/// </summary>
public static class RollupContributions
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A ticket belongs to the UTC day of its decision (all its receipts are written then).</summary>
    public static DateOnly DayOf(DateTimeOffset decidedAt) => DateOnly.FromDateTime(decidedAt.UtcDateTime);

    public static IReadOnlyCollection<string> ReasonCodes(string reasonsJson) =>
        (JsonSerializer.Deserialize<List<DecisionReason>>(reasonsJson, Json) ?? []).Select(r => r.Code).Distinct(StringComparer.Ordinal).ToList();

    public static IEnumerable<object> OfDecision(DecisionFacts facts)
    {
        var tickets = facts.FollowUp ? 0 : 1;
        var day = facts.Day;
        long cost = 0, cloudCost = 0;
        var cloud = false;
        foreach (var receipt in facts.Receipts)
        {
            cost += receipt.CostNanosUsd;
            if (!receipt.IsLocal)
            {
                cloud = true;
                cloudCost += receipt.CostNanosUsd;
            }

            yield return new DailyStageCost
            {
                Day = day,
                Channel = facts.Channel,
                Stage = receipt.Stage,
                Model = receipt.Model,
                IsLocal = receipt.IsLocal,
                Receipts = 1,
                CostNanosUsd = receipt.CostNanosUsd,
                InputTokens = receipt.InputTokens,
                OutputTokens = receipt.OutputTokens,
            };
        }

        yield return new DailyIntentStats
        {
            Day = day,
            Channel = facts.Channel,
            Intent = facts.Intent,
            Band = facts.Band,
            Tickets = tickets,
            CostNanosUsd = cost,
            CloudTickets = cloud ? tickets : 0,
        };
        yield return new DailyCustomerStats
        {
            Day = day,
            Channel = facts.Channel,
            CustomerId = facts.CustomerId,
            Tickets = tickets,
            AutoResolved = facts.Band == ConfidenceBand.Auto ? tickets : 0,
            CostNanosUsd = cost,
            CloudCostNanosUsd = cloudCost,
            CloudTickets = cloud ? tickets : 0,
        };
        if (facts.FollowUp)
        {
            yield break;
        }

        foreach (var code in facts.ReasonCodes)
        {
            yield return new DailyReasonCount { Day = day, Channel = facts.Channel, Band = facts.Band, Code = code, Tickets = 1 };
        }
    }

    /// <summary>The customer's first answer: time from ingest, in the decision day's rows of the ticket's band.</summary>
    public static IEnumerable<object> OfFirstResponse(DateOnly day, string channel, string intent, ConfidenceBand band, DateTimeOffset ingestedAt,
        DateTimeOffset respondedAt)
    {
        var elapsed = respondedAt - ingestedAt;
        if (elapsed < TimeSpan.Zero)
        {
            elapsed = TimeSpan.Zero;
        }

        yield return new DailyIntentStats
        {
            Day = day,
            Channel = channel,
            Intent = intent,
            Band = band,
            FirstResponses = 1,
            FirstResponseMsTotal = (long)Math.Round(elapsed.TotalMilliseconds),
        };
        yield return new DailyResponseTime { Day = day, Channel = channel, Band = band, Bucket = ResponseTimeBuckets.Of(elapsed), Responses = 1 };
    }

    /// <summary>An agent's verdict on a suggested draft.</summary>
    public static IEnumerable<object> OfReview(DateOnly day, string channel, string intent, ConfidenceBand band, DraftReview review, double? editShare)
    {
        yield return new DailyIntentStats
        {
            Day = day,
            Channel = channel,
            Intent = intent,
            Band = band,
            DraftsSent = review is DraftReview.Approved or DraftReview.Edited ? 1 : 0,
            DraftsEdited = review == DraftReview.Edited ? 1 : 0,
            EditBasisPointsTotal = review == DraftReview.Edited ? (long)Math.Round((editShare ?? 0) * 10_000) : 0,
            DraftsRejected = review == DraftReview.Rejected ? 1 : 0,
        };
    }
}

/// <summary>
/// Log-scale buckets for time to first response: four per doubling of (milliseconds + 1), so each bucket is about 19 %
/// wide from a millisecond to months; quantiles interpolate within a bucket on the same log scale.
/// </summary>
public static class ResponseTimeBuckets
{
    public const int PerDoubling = 4;

    public static int Of(TimeSpan elapsed) => (int)Math.Floor(Math.Log2(Math.Max(0, elapsed.TotalMilliseconds) + 1) * PerDoubling);

    /// <summary>Milliseconds at a (fractional) bucket position: its lower bound when whole.</summary>
    public static double Milliseconds(double position) => Math.Pow(2, position / PerDoubling) - 1;

    /// <summary>The q-quantile in milliseconds of a histogram (bucket, count), or null when it is empty.</summary>
    public static double? Quantile(IEnumerable<(int Bucket, long Count)> histogram, double q)
    {
        var buckets = histogram.Where(b => b.Count > 0).OrderBy(b => b.Bucket).ToList();
        var total = buckets.Sum(b => b.Count);
        if (total == 0)
        {
            return null;
        }

        var target = q * total;
        long before = 0;
        foreach (var (bucket, count) in buckets)
        {
            if (before + count >= target)
            {
                return Milliseconds(bucket + Math.Clamp((target - before) / count, 0, 1));
            }

            before += count;
        }

        return Milliseconds(buckets[^1].Bucket + 1);
    }
}
