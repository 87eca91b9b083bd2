using System.Diagnostics;

namespace SupportConsole.Engine.Routing.Benchmarking;

/// <summary>How long and how hard to measure; every loop is bounded by both a count and a time.</summary>
public sealed record RouterBenchmarkSettings
{
    public int WarmupTickets { get; init; } = 500;

    public int SingleTickets { get; init; } = 20_000;

    public TimeSpan SingleTimeLimit { get; init; } = TimeSpan.FromSeconds(15);

    public int BatchSize { get; init; } = 128;

    public int BatchPasses { get; init; } = 20;

    public TimeSpan BatchTimeLimit { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Threads that run batches concurrently on the shared session.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}

/// <summary>Single-ticket latency percentiles (microseconds) and batch throughput of one router.</summary>
public sealed record RouterBenchmarkResult
{
    public required string ModelVersion { get; init; }

    public int Labels { get; init; }

    public long VocabularySize { get; init; }

    public int SingleTickets { get; init; }

    public double P50Microseconds { get; init; }

    public double P90Microseconds { get; init; }

    public double P99Microseconds { get; init; }

    public double P95Microseconds { get; init; }

    /// <summary>Single tickets that stage 1 certified alone (every ticket for a stage-1-only router).</summary>
    public int StageOneCertifiedTickets { get; init; }

    public double StageOneCertifiedP50Microseconds { get; init; }

    /// <summary>Single tickets that went through the encoder stage.</summary>
    public int StageTwoTickets { get; init; }

    public double StageTwoP50Microseconds { get; init; }

    public double StageTwoP95Microseconds { get; init; }

    public double MeanMicroseconds { get; init; }

    public int BatchSize { get; init; }

    public int Threads { get; init; }

    public long BatchTickets { get; init; }

    public double TicketsPerSecond { get; init; }
}

/// <summary>Measures a router on real ticket texts: one ticket per call after a warm-up, then batches across threads.</summary>
public static class RouterBenchmark
{
    public static RouterBenchmarkResult Run(IIntentRouter router, IReadOnlyList<string> texts, RouterBenchmarkSettings settings)
    {
        if (texts.Count == 0)
        {
            throw new ArgumentException("the benchmark needs at least one ticket text", nameof(texts));
        }

        for (var i = 0; i < settings.WarmupTickets; i++)
        {
            router.Route(texts[i % texts.Count]);
        }

        var latencies = new List<double>(settings.SingleTickets);
        var stageOneCertified = new List<double>();
        var stageTwo = new List<double>();
        var singleClock = Stopwatch.StartNew();
        for (var i = 0; i < settings.SingleTickets && singleClock.Elapsed < settings.SingleTimeLimit; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var route = router.Route(texts[i % texts.Count]);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            latencies.Add(elapsed);
            (route.Stage == 1 ? (route.Certified ? stageOneCertified : null) : stageTwo)?.Add(elapsed);
        }

        latencies.Sort();
        stageOneCertified.Sort();
        stageTwo.Sort();
        var batches = texts.Chunk(settings.BatchSize).Select(b => (IReadOnlyList<string>)b).ToArray();
        long processed = 0;
        var batchClock = Stopwatch.StartNew();
        var deadline = settings.BatchTimeLimit;
        var work = Enumerable.Range(0, settings.BatchPasses).SelectMany(_ => batches);
        Parallel.ForEach(work, new ParallelOptions { MaxDegreeOfParallelism = settings.Threads }, (batch, state) =>
        {
            if (batchClock.Elapsed > deadline)
            {
                state.Stop();
                return;
            }

            router.Route(batch);
            Interlocked.Add(ref processed, batch.Count);
        });
        var seconds = batchClock.Elapsed.TotalSeconds;

        return new RouterBenchmarkResult
        {
            ModelVersion = router.Card.VersionId,
            Labels = router.Card.Labels.Count,
            VocabularySize = router.Card.Onnx.VocabularySize,
            SingleTickets = latencies.Count,
            P50Microseconds = Math.Round(Percentile(latencies, 0.50), 1),
            P90Microseconds = Math.Round(Percentile(latencies, 0.90), 1),
            P99Microseconds = Math.Round(Percentile(latencies, 0.99), 1),
            P95Microseconds = Math.Round(Percentile(latencies, 0.95), 1),
            StageOneCertifiedTickets = stageOneCertified.Count,
            StageOneCertifiedP50Microseconds = stageOneCertified.Count == 0 ? 0 : Math.Round(Percentile(stageOneCertified, 0.50), 1),
            StageTwoTickets = stageTwo.Count,
            StageTwoP50Microseconds = stageTwo.Count == 0 ? 0 : Math.Round(Percentile(stageTwo, 0.50), 1),
            StageTwoP95Microseconds = stageTwo.Count == 0 ? 0 : Math.Round(Percentile(stageTwo, 0.95), 1),
            MeanMicroseconds = Math.Round(latencies.Average(), 1),
            BatchSize = settings.BatchSize,
            Threads = settings.Threads,
            BatchTickets = processed,
            TicketsPerSecond = Math.Round(processed / seconds, 0),
        };
    }

    private static double Percentile(List<double> sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1)];
}
