using System.Diagnostics;

namespace SupportConsole.Operations;

/// <summary>What one bounded ingest load loop sent and how each request fared.</summary>
public sealed record IngestLoadResult(int Sent, int Accepted, int Failed, double Seconds, LatencySummary LatencyMs);

/// <summary>
/// The load loop the ingest benchmarks share: numbered tickets POSTed to <c>/api/v1/tickets</c> from a fixed number of
/// workers until every ticket is sent or the time limit passes (bounded in count and time). A request that fails or
/// cannot connect counts as failed.
/// </summary>
public static class IngestLoad
{
    /// <summary>Ticket <paramref name="i"/> of a run: a unique external id on <paramref name="channel"/>, 200 customers in turn.</summary>
    public static object Ticket(string channel, int i, IReadOnlyList<string> texts) => new
    {
        externalId = $"{channel}-{i:D7}",
        customerId = $"C{(i % 200) + 1:D4}",
        channel,
        body = texts[i % texts.Count],
    };

    /// <summary>Sends <paramref name="tickets"/> tickets, ticket i through <paramref name="clientFor"/>(i).</summary>
    public static async Task<IngestLoadResult> RunAsync(Func<int, HttpClient> clientFor, string channel, IReadOnlyList<string> texts,
        int tickets, int concurrency, TimeSpan limit, CancellationToken cancellationToken)
    {
        var latencies = new double[tickets];
        var accepted = 0;
        var failed = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (clock.Elapsed < limit)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= tickets)
                {
                    return;
                }

                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await clientFor(i).PostAsJsonAsync("/api/v1/tickets", Ticket(channel, i, texts), cancellationToken);
                    Interlocked.Increment(ref response.IsSuccessStatusCode ? ref accepted : ref failed);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }

                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }));

        var sent = Math.Min(tickets, next + 1);
        return new IngestLoadResult(sent, accepted, failed, clock.Elapsed.TotalSeconds, LatencySummary.Of(latencies.Take(sent).ToArray()));
    }
}
