using System.Numerics.Tensors;
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
        var sum = new float[select(updates[0]).Tensors[t].Values.Length];
        foreach (var u in updates)
        {
            float weight = (float)((weighted ? u.NumExamples : 1) / total);
            TensorPrimitives.MultiplyAdd(select(u).Tensors[t].Values, weight, sum, sum);
        }
        return sum;
    }

    /// <summary>The example-weighted mean Σᵢ nᵢ·Δᵢ / Σ nᵢ of delta tensor <paramref name="t"/>, accumulated in float64.</summary>
    public static double[] WeightedMeanDouble(IReadOnlyList<ClientUpdate> updates, int t)
    {
        double total = updates.Sum(u => (double)u.NumExamples);
        int length = updates[0].Delta.Tensors[t].Values.Length;
        var sum = new double[length];
        var values = new double[length];
        foreach (var u in updates)
        {
            TensorPrimitives.ConvertChecked<float, double>(u.Delta.Tensors[t].Values, values);
            TensorPrimitives.MultiplyAdd(values, u.NumExamples / total, sum, sum);
        }
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
