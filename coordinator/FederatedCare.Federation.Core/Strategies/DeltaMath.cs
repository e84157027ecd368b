using System.Numerics.Tensors;
using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Strategies;

/// <summary>Means of one tensor over the updates of a round, in the order given (callers pass region order).</summary>
public static class DeltaMath
{
    /// <summary>
    /// Σᵢ wᵢ·Tᵢ in float32 with wᵢ = nᵢ / Σ n (weighted) or 1 / k, where Tᵢ is tensor <paramref name="t"/> of
    /// <paramref name="select"/>(update i). Memory: one accumulator the size of the tensor.
    /// </summary>
    public static float[] Mean(IReadOnlyList<ClientUpdate> updates, int t, bool weighted, Func<ClientUpdate, ModelParameters> select)
    {
        double total = weighted ? updates.Sum(u => (double)u.NumExamples) : updates.Count;
        return Combine(updates.Select(u => select(u).Tensors[t].Values).ToList(),
            updates.Select(u => (float)((weighted ? u.NumExamples : 1) / total)).ToList());
    }

    /// <summary>
    /// Σᵢ cᵢ·xᵢ in float32, added in the order given (float addition is not associative: a fixed order makes the sum
    /// reproducible); every mean of a round is computed here.
    /// </summary>
    /// <param name="values">The arrays xᵢ, at least one, all of one length.</param>
    /// <param name="coefficients">cᵢ, one per array (e.g. nᵢ / Σ n).</param>
    public static float[] Combine(IReadOnlyList<float[]> values, IReadOnlyList<float> coefficients)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(coefficients);
        var sum = new float[values[0].Length];
        for (int i = 0; i < values.Count; i++) ParallelMath.MultiplyAdd(values[i], coefficients[i], sum);
        return sum;
    }

    /// <summary>Float32 values widened to float64.</summary>
    public static double[] ToDouble(float[] values)
    {
        var result = new double[values.Length];
        TensorPrimitives.ConvertChecked<float, double>(values, result);
        return result;
    }

    /// <summary>Float64 values rounded to float32 into <paramref name="destination"/>.</summary>
    public static void ToSingle(ReadOnlySpan<double> values, Span<float> destination) =>
        TensorPrimitives.ConvertTruncating<double, float>(values, destination);
}
