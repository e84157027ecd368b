using System.Globalization;
using System.Numerics.Tensors;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Strategies;

/// <summary>
/// Krum and multi-Krum (Blanchard et al. 2017, "Machine Learning with Adversaries: Byzantine Tolerant Gradient
/// Descent", NeurIPS). With n updates of which at most f are Byzantine, each update's score is the sum of squared
/// Euclidean distances (over all tensors) to its n − f − 2 nearest other updates; the m lowest-scored updates are
/// averaged without weights (m = 1: Krum picks one) and added to the global model. Ties go to the region first in
/// ordinal order. A round fails with <see cref="AggregationException"/> when n ≤ 2f + 2 (the paper's condition) or
/// m &gt; n − f. Memory: every update at once plus the n × n distance matrix.
/// </summary>
public sealed class Krum(KrumOptions options) : StrategyBase, IRobustStrategy, IMinimumUpdates
{
    /// <summary>The registry name.</summary>
    public const string StrategyName = "krum";

    /// <summary>The parsed parameters.</summary>
    public KrumOptions Options { get; } = options;

    /// <inheritdoc/>
    public override string Name => StrategyName;

    /// <inheritdoc/>
    public int MinimumUpdates => Math.Max(2 * Options.NumByzantine + 3, Options.NumSelected + Options.NumByzantine);

    /// <inheritdoc/>
    public string MinimumReason => string.Create(CultureInfo.InvariantCulture,
        $"krum needs more than 2·num_byzantine + 2 = {2 * Options.NumByzantine + 2} updates and num_selected ({Options.NumSelected}) " +
        $"at most n − num_byzantine ({Options.NumByzantine})");

    /// <inheritdoc/>
    public ModelParameters Aggregate(FitContext round, ModelParameters global, IReadOnlyList<ClientUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(global);
        var ordered = Ordered(updates);
        var selected = Select(ordered);
        var result = global.Clone();
        for (int t = 0; t < global.Tensors.Count; t++)
        {
            var target = result.Tensors[t].Values;
            TensorPrimitives.Add(DeltaMath.Mean(selected, t, weighted: false, u => u.Delta), target, target);
        }
        return result;
    }

    /// <summary>The m best-scored updates, in region order.</summary>
    /// <exception cref="AggregationException">n ≤ 2f + 2 or m &gt; n − f.</exception>
    public IReadOnlyList<ClientUpdate> Select(IReadOnlyList<ClientUpdate> ordered)
    {
        int n = ordered.Count, f = Options.NumByzantine, m = Options.NumSelected;
        if (n <= 2 * f + 2)
            throw new AggregationException(string.Create(CultureInfo.InvariantCulture,
                $"krum needs more than 2·num_byzantine + 2 = {2 * f + 2} updates, got {n} (num_byzantine = {f})."));
        if (m > n - f)
            throw new AggregationException(string.Create(CultureInfo.InvariantCulture,
                $"krum: num_selected = {m} exceeds n − num_byzantine = {n - f} ({n} updates)."));

        var distance = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double d = 0;
                for (int t = 0; t < ordered[i].Delta.Tensors.Count; t++)
                {
                    double e = TensorPrimitives.Distance(ordered[i].Delta.Tensors[t].Values, ordered[j].Delta.Tensors[t].Values);
                    d += e * e;
                }
                distance[i, j] = distance[j, i] = d;
            }
        var scores = Enumerable.Range(0, n)
            .Select(i => Enumerable.Range(0, n).Where(j => j != i).Select(j => distance[i, j]).Order().Take(n - f - 2).Sum())
            .ToArray();
        return Enumerable.Range(0, n).OrderBy(i => scores[i]).ThenBy(i => i).Take(m).Order().Select(i => ordered[i]).ToList();
    }
}
