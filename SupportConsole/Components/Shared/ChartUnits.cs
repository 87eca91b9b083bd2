using System.Globalization;
using MudBlazor;

namespace SupportConsole.Components.Shared;

/// <summary>
/// Money on a chart axis in a unit its values read well in: local work costs millionths of a dollar, a cloud model
/// cents, a month of traffic dollars. MudBlazor's axis steps are whole numbers, so the values are scaled to the unit.
/// </summary>
public sealed record ChartUnits(double Factor, string Label)
{
    private static readonly ChartUnits[] Units = [new(1, "USD"), new(100, "US cents"), new(1_000_000, "micro-dollars"), new(1_000_000_000, "nano-dollars")];

    public static ChartUnits ForMax(double maxUsd) => Units.FirstOrDefault(u => maxUsd * u.Factor >= 5) ?? Units[^1];

    public double[] Scale(IEnumerable<decimal> usd) => [.. usd.Select(v => Math.Round((double)v * Factor, 3))];

    /// <summary>An axis step that gives about five lines up to <paramref name="max"/> (already scaled).</summary>
    public static int Step(double max) => (int)Math.Max(1, NiceCeiling(max / 5));

    private static double NiceCeiling(double value)
    {
        if (value <= 1)
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        var fraction = value / magnitude;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
    }

    public static string Number(double value) => value.ToString("#,##0.###", CultureInfo.InvariantCulture);

    public static BarChartOptions Bars(double max) => new() { YAxisTicks = Step(max), MaxNumYAxisTicks = 8, YAxisToStringFunc = Number };

    public static StackedBarChartOptions StackedBars(double max) => new() { YAxisTicks = Step(max), MaxNumYAxisTicks = 8, YAxisToStringFunc = Number };

    public static LineChartOptions Lines(double max) => new() { YAxisTicks = Step(max), MaxNumYAxisTicks = 8, YAxisToStringFunc = Number, ShowLegend = false };
}
