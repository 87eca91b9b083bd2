using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SupportConsole.Engine.Numerics;

/// <summary>
/// The float reductions training uses (dot products, sums, softmax), summed in one order on every CPU.
/// TensorPrimitives picks its vector width from the machine (16 lanes with AVX-512, 8 with AVX2, 4 without), and a
/// float sum taken in another order rounds differently: the same data and seed gave one model file on an AVX-512
/// host and another on an AVX2 host. Here the partial sums are always sixteen (four 128-bit accumulators, a width
/// every x64 and Arm CPU runs natively), folded in a fixed order, then the tail in sequence. Element-wise
/// operations (add, multiply, exp) round the same at any width and stay with TensorPrimitives.
/// </summary>
internal static class FixedOrderMath
{
    /// <summary>The sum of x[i] * y[i] (each product rounded, never fused).</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"{x.Length} values against {y.Length}", nameof(y));
        }

        return Reduce<Product>(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), x.Length);
    }

    /// <summary>The sum of the values.</summary>
    public static float Sum(ReadOnlySpan<float> x)
    {
        ref var a = ref MemoryMarshal.GetReference(x);
        return Reduce<Value>(ref a, ref a, x.Length);
    }

    /// <summary>The Euclidean length of the values.</summary>
    public static float Norm(ReadOnlySpan<float> x) => MathF.Sqrt(Dot(x, x));

    /// <summary>exp(x - max) / sum, written to <paramref name="destination"/> (which may be <paramref name="x"/>).</summary>
    public static void SoftMax(ReadOnlySpan<float> x, Span<float> destination)
    {
        if (x.IsEmpty)
        {
            throw new ArgumentException("softmax of no values", nameof(x));
        }

        TensorPrimitives.Subtract(x, TensorPrimitives.Max(x), destination);
        TensorPrimitives.Exp(destination, destination);
        TensorPrimitives.Divide(destination, Sum(destination), destination);
    }

    /// <summary>
    /// Sums <typeparamref name="TTerm"/>'s terms in the one fixed order: sixteen lanes while sixteen values are left,
    /// then four, folded pairwise, then the tail in sequence.
    /// </summary>
    private static float Reduce<TTerm>(ref float a, ref float b, int length)
        where TTerm : struct, ITerm
    {
        var s0 = Vector128<float>.Zero;
        var s1 = Vector128<float>.Zero;
        var s2 = Vector128<float>.Zero;
        var s3 = Vector128<float>.Zero;
        var i = 0;
        for (; i <= length - 16; i += 16)
        {
            s0 += TTerm.Lanes(ref a, ref b, i);
            s1 += TTerm.Lanes(ref a, ref b, i + 4);
            s2 += TTerm.Lanes(ref a, ref b, i + 8);
            s3 += TTerm.Lanes(ref a, ref b, i + 12);
        }

        for (; i <= length - 4; i += 4)
        {
            s0 += TTerm.Lanes(ref a, ref b, i);
        }

        var v = (s0 + s1) + (s2 + s3);
        var sum = (v.GetElement(0) + v.GetElement(1)) + (v.GetElement(2) + v.GetElement(3));
        for (; i < length; i++)
        {
            sum += TTerm.One(ref a, ref b, i);
        }

        return sum;
    }

    /// <summary>The term a reduction adds at an index: four lanes at once, or one value.</summary>
    private interface ITerm
    {
        static abstract Vector128<float> Lanes(ref float a, ref float b, int i);

        static abstract float One(ref float a, ref float b, int i);
    }

    private readonly struct Product : ITerm
    {
        public static Vector128<float> Lanes(ref float a, ref float b, int i) =>
            Vector128.LoadUnsafe(ref a, (nuint)i) * Vector128.LoadUnsafe(ref b, (nuint)i);

        public static float One(ref float a, ref float b, int i) => Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
    }

    private readonly struct Value : ITerm
    {
        public static Vector128<float> Lanes(ref float a, ref float b, int i) => Vector128.LoadUnsafe(ref a, (nuint)i);

        public static float One(ref float a, ref float b, int i) => Unsafe.Add(ref a, i);
    }
}
