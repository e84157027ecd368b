using System.Numerics.Tensors;

namespace FederatedCare.Federation.Core.Strategies;

/// <summary>
/// Coordinate-wise trimmed mean (Yin et al. 2018): per coordinate, drop the k = ⌊β·n⌋ largest and k smallest values and
/// average the n − 2k left (β &lt; 0.5 leaves at least one). β = 0 is the unweighted mean.
/// </summary>
public sealed class TrimmedMean(TrimmedMeanOptions options) : CoordinateWise
{
    /// <summary>The registry name.</summary>
    public const string StrategyName = "trimmed_mean";

    /// <summary>The parsed parameters.</summary>
    public TrimmedMeanOptions Options { get; } = options;

    /// <inheritdoc/>
    public override string Name => StrategyName;

    /// <summary>k = ⌊β·n⌋, with a tolerance so that e.g. β = 0.29, n = 100 trims 29 despite 0.29·100 = 28.999…</summary>
    public static int Trimmed(double beta, int n) => (int)Math.Floor(beta * n + 1e-9);

    /// <inheritdoc/>
    protected override double Combine(ReadOnlySpan<float> sorted)
    {
        int k = Trimmed(Options.Beta, sorted.Length);
        var kept = sorted[k..^k];
        return (double)TensorPrimitives.Sum(kept) / kept.Length;
    }
}
