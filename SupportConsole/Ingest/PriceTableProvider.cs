using Microsoft.Extensions.Options;
using SupportConsole.Engine.Accounting;

namespace SupportConsole.Ingest;

/// <summary>The price table from the <c>Costs</c> options, rebuilt when they change.</summary>
public sealed class PriceTableProvider(IOptionsMonitor<CostOptions> options)
{
    public PriceTable Current => new(options.CurrentValue.LocalCpuUsdPerCoreHour);
}
