using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SupportConsole.Engine.Accounting;

/// <summary>Measures a synchronous stage: wall time and the CPU time of the calling thread.</summary>
public readonly partial struct StageClock
{
    private readonly long _startTimestamp;
    private readonly double _startCpuMilliseconds;

    private StageClock(long startTimestamp, double startCpuMilliseconds)
    {
        _startTimestamp = startTimestamp;
        _startCpuMilliseconds = startCpuMilliseconds;
    }

    public static StageClock Start() => new(Stopwatch.GetTimestamp(), ThreadCpuMilliseconds());

    public double ElapsedMilliseconds => Stopwatch.GetElapsedTime(_startTimestamp).TotalMilliseconds;

    public double CpuMilliseconds => Math.Max(0, ThreadCpuMilliseconds() - _startCpuMilliseconds);

    /// <summary>CPU time of the current thread (Linux CLOCK_THREAD_CPUTIME_ID); elsewhere, process time as an approximation.</summary>
    public static double ThreadCpuMilliseconds()
    {
        if (OperatingSystem.IsLinux() && NativeMethods.clock_gettime(NativeMethods.ClockThreadCpuTimeId, out var spec) == 0)
        {
            return (spec.Seconds * 1000.0) + (spec.Nanoseconds / 1_000_000.0);
        }

        return Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
    }

    private static partial class NativeMethods
    {
        public const int ClockThreadCpuTimeId = 3;

        [LibraryImport("libc", SetLastError = false)]
        public static partial int clock_gettime(int clockId, out TimeSpec spec);

        [StructLayout(LayoutKind.Sequential)]
        public struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }
    }
}

/// <summary>Prices that turn a stage's work into money.</summary>
public sealed record PriceTable(decimal LocalCpuUsdPerCoreHour)
{
    /// <summary>Local cost of <paramref name="cpuMilliseconds"/> of one core, in nano-dollars.</summary>
    public long LocalCostNanos(double cpuMilliseconds) =>
        (long)Math.Round((decimal)cpuMilliseconds / 3_600_000m * LocalCpuUsdPerCoreHour * 1_000_000_000m);

    public static long ToNanos(decimal usd) => (long)Math.Round(usd * 1_000_000_000m);

    /// <summary>Tokens of text as a local model would count them (about four characters each).</summary>
    public static int EstimateTokens(string? text) => string.IsNullOrEmpty(text) ? 0 : (text.Length + 3) / 4;
}
