using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Strategies;

/// <summary>
/// Robust aggregation that treats every coordinate separately (Yin et al. 2018, "Byzantine-Robust Distributed
/// Learning: Towards Optimal Statistical Rates", ICML): x ← x + g(Δ₁[j], …, Δₙ[j]) for each coordinate j, with g a
/// statistic of the sorted values that ignores outliers. Client weights (num_examples) are not used: a Byzantine
/// client could lie about them. Memory: every update at once (they arrive complete anyway), plus one column.
/// </summary>
public abstract class CoordinateWise : StrategyBase, IRobustStrategy
{
    /// <inheritdoc/>
    public ModelParameters Aggregate(FitContext round, ModelParameters global, IReadOnlyList<ClientUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(global);
        var ordered = Ordered(updates);
        var result = global.Clone();
        var column = new float[ordered.Count];
        for (int t = 0; t < global.Tensors.Count; t++)
        {
            var target = result.Tensors[t].Values;
            for (int j = 0; j < target.Length; j++)
            {
                for (int i = 0; i < column.Length; i++) column[i] = ordered[i].Delta.Tensors[t].Values[j];
                Array.Sort(column);
                target[j] = (float)(target[j] + Combine(column));
            }
        }
        return result;
    }

    /// <summary>The robust statistic of one coordinate's values, sorted ascending (at least one).</summary>
    protected abstract double Combine(ReadOnlySpan<float> sorted);
}

/// <summary>Coordinate-wise median (Yin et al. 2018); the mean of the two middle values when n is even.</summary>
public sealed class Median : CoordinateWise
{
    /// <summary>The registry name.</summary>
    public const string StrategyName = "median";

    /// <inheritdoc/>
    public override string Name => StrategyName;

    /// <inheritdoc/>
    protected override double Combine(ReadOnlySpan<float> sorted)
    {
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : ((double)sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
