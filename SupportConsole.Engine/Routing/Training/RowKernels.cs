using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace SupportConsole.Engine.Routing.Training;

/// <summary>
/// Element-wise kernels for the short rows (one value per intent or hidden unit) that training touches millions of
/// times per pass. At these lengths TensorPrimitives' per-call dispatch costs as much as the arithmetic; these loops
/// round exactly as it does (a multiply then an add, never fused), so swapping one for the other changes no weight.
/// </summary>
internal static class RowKernels
{
    /// <summary>destination += source * scale.</summary>
    public static void AddScaled(ReadOnlySpan<float> source, float scale, Span<float> destination)
    {
        if (source.Length != destination.Length)
        {
            throw new ArgumentException($"{source.Length} values to add into {destination.Length}", nameof(source));
        }

        ref var from = ref MemoryMarshal.GetReference(source);
        ref var to = ref MemoryMarshal.GetReference(destination);
        var length = destination.Length;
        var width = Vector<float>.Count;
        if (!Vector.IsHardwareAccelerated || length < width)
        {
            for (var i = 0; i < length; i++)
            {
                Unsafe.Add(ref to, i) = (Unsafe.Add(ref from, i) * scale) + Unsafe.Add(ref to, i);
            }

            return;
        }

        var factor = new Vector<float>(scale);
        var done = 0;
        for (; done <= length - width; done += width)
        {
            var sum = (Vector.LoadUnsafe(ref from, (nuint)done) * factor) + Vector.LoadUnsafe(ref to, (nuint)done);
            sum.StoreUnsafe(ref to, (nuint)done);
        }

        if (done < length)
        {
            // The last full-width window ends at the row's end and overlaps lanes already done: compute it whole, keep
            // the new sums only in the lanes not yet done (77 intents are 9 windows of 8 and one masked one, instead
            // of 5 scalar steps).
            var last = (nuint)(length - width);
            var current = Vector.LoadUnsafe(ref to, last);
            var sum = (Vector.LoadUnsafe(ref from, last) * factor) + current;
            var fresh = Vector.GreaterThanOrEqual(Vector<int>.Indices, new Vector<int>(width - (length - done)));
            Vector.ConditionalSelect(fresh.As<int, float>(), sum, current).StoreUnsafe(ref to, last);
        }
    }

    /// <summary>How many sparse entries ahead the gathers ask for their next row (measured best of 4, 8, 16).</summary>
    public const int PrefetchDistance = 8;

    /// <summary>
    /// Asks the CPU to start loading a row it will need shortly. The table rows a sparse pass gathers (an intent
    /// weight row, a hidden-unit row) sit in tables larger than L2 in no predictable order, so without a hint every
    /// row is a stall; asking <see cref="PrefetchDistance"/> entries ahead made the softmax objective about a quarter
    /// faster, with the same results (a hint changes no value). A no-op where SSE is not available.
    /// </summary>
    public static unsafe void Prefetch(ReadOnlySpan<float> row)
    {
        if (!Sse.IsSupported || row.IsEmpty)
        {
            return;
        }

        fixed (float* start = row)
        {
            const int floatsPerCacheLine = 16;
            for (var i = 0; i < row.Length; i += floatsPerCacheLine)
            {
                Sse.Prefetch0(start + i);
            }

            Sse.Prefetch0(start + row.Length - 1);
        }
    }
}
