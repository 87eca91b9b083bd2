using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SupportConsole.Engine.Routing.Training;

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

        ref var a = ref MemoryMarshal.GetReference(x);
        ref var b = ref MemoryMarshal.GetReference(y);
        var length = x.Length;
        var s0 = Vector128<float>.Zero;
        var s1 = Vector128<float>.Zero;
        var s2 = Vector128<float>.Zero;
        var s3 = Vector128<float>.Zero;
        var i = 0;
        for (; i <= length - 16; i += 16)
        {
            s0 += Vector128.LoadUnsafe(ref a, (nuint)i) * Vector128.LoadUnsafe(ref b, (nuint)i);
            s1 += Vector128.LoadUnsafe(ref a, (nuint)(i + 4)) * Vector128.LoadUnsafe(ref b, (nuint)(i + 4));
            s2 += Vector128.LoadUnsafe(ref a, (nuint)(i + 8)) * Vector128.LoadUnsafe(ref b, (nuint)(i + 8));
            s3 += Vector128.LoadUnsafe(ref a, (nuint)(i + 12)) * Vector128.LoadUnsafe(ref b, (nuint)(i + 12));
        }

        for (; i <= length - 4; i += 4)
        {
            s0 += Vector128.LoadUnsafe(ref a, (nuint)i) * Vector128.LoadUnsafe(ref b, (nuint)i);
        }

        var sum = Fold(s0, s1, s2, s3);
        for (; i < length; i++)
        {
            sum += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
        }

        return sum;
    }

    /// <summary>The sum of the values.</summary>
    public static float Sum(ReadOnlySpan<float> x)
    {
        ref var a = ref MemoryMarshal.GetReference(x);
        var length = x.Length;
        var s0 = Vector128<float>.Zero;
        var s1 = Vector128<float>.Zero;
        var s2 = Vector128<float>.Zero;
        var s3 = Vector128<float>.Zero;
        var i = 0;
        for (; i <= length - 16; i += 16)
        {
            s0 += Vector128.LoadUnsafe(ref a, (nuint)i);
            s1 += Vector128.LoadUnsafe(ref a, (nuint)(i + 4));
            s2 += Vector128.LoadUnsafe(ref a, (nuint)(i + 8));
            s3 += Vector128.LoadUnsafe(ref a, (nuint)(i + 12));
        }

        for (; i <= length - 4; i += 4)
        {
            s0 += Vector128.LoadUnsafe(ref a, (nuint)i);
        }

        var sum = Fold(s0, s1, s2, s3);
        for (; i < length; i++)
        {
            sum += Unsafe.Add(ref a, i);
        }

        return sum;
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

    private static float Fold(Vector128<float> s0, Vector128<float> s1, Vector128<float> s2, Vector128<float> s3)
    {
        var v = (s0 + s1) + (s2 + s3);
        return (v.GetElement(0) + v.GetElement(1)) + (v.GetElement(2) + v.GetElement(3));
    }
}
