using Hangfire;

namespace SupportConsole.Delivery;

/// <summary>
/// One pass over the outbox, as a Hangfire job: enqueued as soon as a message is written (coalesced: at most one
/// waiting), scheduled for the moment the next retry comes due, and swept every minute by a recurring job (which
/// also catches up after a restart). Messages carry their own attempts and back-off and are claimed before they are
/// sent, so passes may overlap (here or on another instance) without sending anything twice, and a pass that fails is
/// simply followed by the next one.
/// </summary>
public sealed class OutboxDeliveryJob(OutboxDispatcher dispatcher, OutboxDeliveryTrigger trigger, IBackgroundJobClient hangfire, TimeProvider clock)
{
    /// <summary>The id of its schedule in Hangfire.</summary>
    public const string RecurringId = "outbox-sweep";

    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Deliver due outbox messages")]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        trigger.Started();
        var (_, nextDue) = await dispatcher.DeliverDueAsync(cancellationToken);
        if (nextDue is { } due && trigger.ShouldSchedule(due))
        {
            var delay = due - clock.GetUtcNow();
            hangfire.Schedule<OutboxDeliveryJob>(j => j.RunAsync(CancellationToken.None), delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
        }
    }
}

/// <summary>
/// Turns "a message is waiting" (<see cref="OutboxSignal"/>) into an outbox job, without piling up jobs when
/// thousands of replies are written: while one pass is waiting to start, another is not enqueued.
/// </summary>
public sealed class OutboxDeliveryTrigger(OutboxSignal signal, IServiceProvider services, ILogger<OutboxDeliveryTrigger> logger) : BackgroundService
{
    private int _waiting;
    private DateTimeOffset? _scheduledFor;
    private readonly Lock _scheduleLock = new();

    public void Started() => Interlocked.Exchange(ref _waiting, 0);

    /// <summary>True (once) for a due time earlier than any pass already scheduled.</summary>
    public bool ShouldSchedule(DateTimeOffset due)
    {
        lock (_scheduleLock)
        {
            if (_scheduledFor is { } scheduled && scheduled <= due && scheduled > DateTimeOffset.UtcNow)
            {
                return false;
            }

            _scheduledFor = due;
            return true;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var hangfire = services.GetRequiredService<IBackgroundJobClient>();
        while (!stoppingToken.IsCancellationRequested)
        {
            await signal.WaitAsync(Timeout.InfiniteTimeSpan, stoppingToken);
            if (Interlocked.Exchange(ref _waiting, 1) == 0)
            {
                try
                {
                    hangfire.Enqueue<OutboxDeliveryJob>(j => j.RunAsync(CancellationToken.None));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Interlocked.Exchange(ref _waiting, 0);
                    logger.LogError(e, "Could not enqueue an outbox pass; the minute sweep will deliver");
                }
            }
        }
    }
}
