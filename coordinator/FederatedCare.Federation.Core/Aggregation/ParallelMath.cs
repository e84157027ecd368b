using System.Numerics.Tensors;

namespace FederatedCare.Federation.Core.Aggregation;

/// <summary>
/// Element-wise float32 kernels (<see cref="TensorPrimitives"/>, SIMD) spread over the machine's cores in blocks of
/// <see cref="BlockElements"/>: aggregation is memory-bound, and one core alone does not saturate memory bandwidth.
/// Every element is computed by the same SIMD expression whichever thread runs its block, so results do not depend
/// on the number of threads.
/// </summary>
public static class ParallelMath
{
    /// <summary>Elements per work item: 1 Mi floats (4 MiB), large enough to amortise scheduling.</summary>
    public const int BlockElements = 1 << 20;

    /// <summary>sum[i] += weight · x[i].</summary>
    /// <exception cref="ArgumentException">The arrays differ in length.</exception>
    public static void MultiplyAdd(float[] x, float weight, float[] sum)
    {
        if (x.Length != sum.Length) throw new ArgumentException("x and sum differ in length.", nameof(x));
        For(sum.Length, (start, length) =>
            TensorPrimitives.MultiplyAdd(x.AsSpan(start, length), weight, sum.AsSpan(start, length), sum.AsSpan(start, length)));
    }

    /// <summary>target[i] = x[i] · factor + addend[i] (target may be x).</summary>
    public static void MultiplyAddInto(float[] x, float factor, float[] addend, float[] target)
    {
        if (x.Length != addend.Length || x.Length != target.Length) throw new ArgumentException("The arrays differ in length.", nameof(x));
        For(x.Length, (start, length) =>
            TensorPrimitives.MultiplyAdd(x.AsSpan(start, length), factor, addend.AsSpan(start, length), target.AsSpan(start, length)));
    }

    /// <summary>Runs <paramref name="body"/>(start, length) over [0, length) in blocks, in parallel when there is more than one.</summary>
    public static void For(int length, Action<int, int> body)
    {
        int blocks = (int)(((long)length + BlockElements - 1) / BlockElements);
        if (blocks <= 1)
        {
            body(0, length);
            return;
        }
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, b =>
        {
            int start = b * BlockElements;
            body(start, Math.Min(BlockElements, length - start));
        });
    }
}
