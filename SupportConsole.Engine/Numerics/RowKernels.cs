using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace SupportConsole.Engine.Numerics;

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
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var factor = new Vector<float>(scale);
            for (; i <= destination.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var sum = (Vector.LoadUnsafe(ref from, (nuint)i) * factor) + Vector.LoadUnsafe(ref to, (nuint)i);
                sum.StoreUnsafe(ref to, (nuint)i);
            }
        }

        for (; i < destination.Length; i++)
        {
            Unsafe.Add(ref to, i) = (Unsafe.Add(ref from, i) * scale) + Unsafe.Add(ref to, i);
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

    /// <summary>
    /// In a sparse pass at entry <paramref name="entry"/> of <paramref name="indexes"/>: prefetches the
    /// <paramref name="width"/>-float row of <paramref name="table"/> that the entry <see cref="PrefetchDistance"/> ahead reads.
    /// </summary>
    public static void PrefetchAhead(float[] table, int[] indexes, int entry, int width)
    {
        if (entry + PrefetchDistance < indexes.Length)
        {
            Prefetch(table.AsSpan(indexes[entry + PrefetchDistance] * width, width));
        }
    }
}
