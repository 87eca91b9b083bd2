using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
}
