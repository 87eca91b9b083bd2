using Microsoft.Extensions.Options;
using SupportConsole.Engine.Pipeline;

namespace SupportConsole.Pipeline;

/// <summary>The price table from the <c>Costs</c> options, rebuilt when they change.</summary>
public sealed class PriceTableProvider(IOptionsMonitor<CostOptions> options)
{
    public PriceTable Current => new(options.CurrentValue.LocalCpuUsdPerCoreHour);
}

/// <summary>Wakes the outbox dispatcher when a new message is waiting, instead of it polling blindly.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled by another thread.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
