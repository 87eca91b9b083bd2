using System.Collections.Concurrent;
using System.Net;
using Hangfire;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Api;
using SupportConsole.Data;
using SupportConsole.Jobs;

namespace SupportConsole.Operations;

/// <summary>What a soak found: the load it carried, what the job server did meanwhile, and every log line that matters.</summary>
public sealed record SoakReport(
    double Minutes,
    int Concurrency,
    int TicketsSent,
    int TicketsFailed,
    int TicketsStored,
    int TicketsLost,
    double TicketsPerSecond,
    int OutboxMessages,
    int OutboxDelivered,
    int OutboxPending,
    int WebhookPosts,
    int ProbeJobs,
    int ProbesExecutedOnce,
    int ProbesExecutedTwice,
    LatencySummary ProbeEnqueueToStartMs,
    long HangfireSucceeded,
    long HangfireFailed,
    int DistributedLockTimeouts,
    int DatabaseLocked,
    int ErrorsLogged,
    IReadOnlyList<string> Samples)
{
    /// <summary>Nothing lost, failed, run twice or complained about.</summary>
    public bool Clean => DistributedLockTimeouts == 0 && DatabaseLocked == 0 && ErrorsLogged == 0 && TicketsLost == 0 && TicketsFailed == 0
        && HangfireFailed == 0 && ProbesExecutedTwice == 0 && ProbesExecutedOnce == ProbeJobs && OutboxPending == 0;
}

/// <summary>
/// The embedded default under sustained load: tickets POSTed at full speed to a fresh in-process instance whose auto
/// replies go through the outbox to a webhook on 127.0.0.1 (every reply enqueues an outbox pass, the minute sweep runs),
/// while a probe job is enqueued every second. Every log line from Information up is read for Hangfire's
/// <c>DistributedLockTimeoutException</c>, SQLite's "database is locked" and errors. Bounded by its duration.
/// </summary>
public static class JobSoak
{
    public const string Channel = "soak";

    private const string BootstrapKey = "soak-key";

    public static async Task<SoakReport> RunAsync(IReadOnlyList<string> texts, TimeSpan duration, int concurrency, CancellationToken cancellationToken)
    {
        await using var sink = await WebhookSink.StartAsync(cancellationToken);
        var findings = new LogFindings();
        await using var instance = await TemporaryInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Api:BootstrapKeys:0"] = BootstrapKey,
            ["Outbox:WebhookUrl"] = sink.Url.ToString(),
        }, cancellationToken, logging => logging.AddProvider(findings)
            // What the shipped appsettings.json logs: the console's log as an operator would read it.
            .AddFilter<LogFindings>(null, LogLevel.Information)
            .AddFilter<LogFindings>("Microsoft.AspNetCore", LogLevel.Warning)
            .AddFilter<LogFindings>("Microsoft.EntityFrameworkCore", LogLevel.Warning));
        var services = instance.Services;
        var client = services.GetRequiredService<IBackgroundJobClient>();
        var probes = services.GetRequiredService<JobProbeRecorder>();

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = instance.Address };
        http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, BootstrapKey);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var probing = Task.Run(async () =>
        {
            var sent = 0;
            using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
            try
            {
                while (await tick.WaitForNextTickAsync(stop.Token))
                {
                    probes.Enqueue(client, sent++);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The load is over.
            }

            return sent;
        }, CancellationToken.None);

        // Bounded by the duration; the ticket count only bounds memory (one latency slot per ticket).
        var load = await IngestLoad.RunAsync(_ => http, Channel, texts, 2_000_000, concurrency, duration, cancellationToken);
        await stop.CancelAsync();
        var probeJobs = await probing;

        // Let the last replies and probes through (the outbox retries nothing here: the sink always answers 200).
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        drain.CancelAfter(TimeSpan.FromSeconds(60));
        var contexts = services.GetRequiredService<IDbContextFactory<SupportConsoleDbContext>>();
        try
        {
            await JobBenchmark.UntilAsync(() => probes.Distinct >= probeJobs, drain.Token);
            while (await PendingAsync(contexts, drain.Token) > 0)
            {
                await Task.Delay(250, drain.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Reported as pending below.
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stored = await db.Tickets.CountAsync(t => t.Channel == Channel, cancellationToken);
        var outbox = await db.OutboxMessages.CountAsync(cancellationToken);
        var delivered = await db.OutboxMessages.CountAsync(m => m.DeliveredAt != null, cancellationToken);
        var monitoring = services.GetRequiredService<JobStorage>().GetMonitoringApi().GetStatistics();
        var probeRange = Enumerable.Range(0, probeJobs).ToArray();
        return new SoakReport(
            Math.Round(load.Seconds / 60, 2), concurrency, load.Sent, load.Failed, stored, load.Accepted - stored, Math.Round(load.Sent / load.Seconds, 1),
            outbox, delivered, outbox - delivered, sink.Posts,
            probeJobs, probeRange.Count(s => probes.ExecutionsOf(s) == 1), probeRange.Count(s => probes.ExecutionsOf(s) > 1),
            LatencySummary.Of(probes.LatenciesMs(probeRange)),
            monitoring.Succeeded, monitoring.Failed,
            findings.LockTimeouts, findings.DatabaseLocked, findings.Errors, findings.Samples);
    }

    private static async Task<int> PendingAsync(IDbContextFactory<SupportConsoleDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.OutboxMessages.CountAsync(m => m.DeliveredAt == null, cancellationToken);
    }

    /// <summary>Reads every log line it is given for the failures a soak looks for; keeps the first few as samples.</summary>
    [ProviderAlias("SoakFindings")]
    private sealed class LogFindings : ILoggerProvider
    {
        private const int MaxSamples = 10;
        private readonly ConcurrentQueue<string> _samples = new();
        private int _lockTimeouts;
        private int _databaseLocked;
        private int _errors;

        public int LockTimeouts => _lockTimeouts;

        public int DatabaseLocked => _databaseLocked;

        public int Errors => _errors;

        public IReadOnlyList<string> Samples => [.. _samples];

        public ILogger CreateLogger(string categoryName) => new Reader(this, categoryName);

        public void Dispose()
        {
        }

        private void Read(string category, LogLevel level, string message, Exception? exception)
        {
            var text = exception is null ? message : $"{message} {exception}";
            var lockTimeout = text.Contains("DistributedLockTimeoutException", StringComparison.Ordinal);
            var locked = text.Contains("database is locked", StringComparison.OrdinalIgnoreCase);
            var error = level >= LogLevel.Error;
            if (lockTimeout)
            {
                Interlocked.Increment(ref _lockTimeouts);
            }

            if (locked)
            {
                Interlocked.Increment(ref _databaseLocked);
            }

            if (error)
            {
                Interlocked.Increment(ref _errors);
            }

            if ((lockTimeout || locked || error) && _samples.Count < MaxSamples)
            {
                _samples.Enqueue($"{level} {category}: {(text.Length > 400 ? text[..400] : text)}");
            }
        }

        private sealed class Reader(LogFindings findings, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                findings.Read(category, logLevel, formatter(state, exception), exception);
        }
    }

    /// <summary>A webhook receiver on 127.0.0.1 that answers every POST with 200 and counts them.</summary>
    private sealed class WebhookSink : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _posts;

        private WebhookSink(WebApplication app) => _app = app;

        public Uri Url { get; private set; } = null!;

        public int Posts => _posts;

        public static async Task<WebhookSink> StartAsync(CancellationToken cancellationToken)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var sink = new WebhookSink(app);
            app.MapPost("/replies", () =>
            {
                Interlocked.Increment(ref sink._posts);
                return TypedResults.Ok();
            });
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            sink.Url = new Uri(new Uri(address), "/replies");
            return sink;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }
}
