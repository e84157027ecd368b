using System.Numerics.Tensors;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Coordinator.Strategies;

/// <summary>
/// Federated Averaging (McMahan et al. 2017, "Communication-Efficient Learning of Deep Networks from Decentralized
/// Data", Algorithm 1): w ← w + η · Σᵢ nᵢ·Δᵢ / Σᵢ nᵢ, where Δᵢ is client i's local weights minus w and nᵢ its number
/// of training examples (η = 1 is the paper's rule). Memory: one accumulator the size of the model.
/// </summary>
public sealed class FedAvg(FedAvgOptions options) : IStrategy
{
    /// <summary>The registry name.</summary>
    public const string StrategyName = "fedavg";

    /// <summary>The parsed parameters.</summary>
    public FedAvgOptions Options { get; } = options;

    /// <inheritdoc/>
    public string Name => StrategyName;

    /// <inheritdoc/>
    public FitPlan ConfigureFit(FitContext context)
    {
        var clients = ClientSelection.Sample(context.Available, context.Spec.FractionFit, context.Spec.MinFitClients,
            context.Spec.Seed, context.Round, context.Attempt);
        return new FitPlan(clients, context.Spec.Strategy?.Clone() ?? new StrategySpec { Name = StrategyName });
    }

    /// <inheritdoc/>
    public ModelParameters AggregateFit(ModelParameters global, IReadOnlyList<ClientUpdate> updates)
    {
        if (updates.Count == 0) throw new ArgumentException("FedAvg needs at least one update.", nameof(updates));
        // Float addition is not associative: a fixed (region) order makes the sum independent of arrival order.
        var ordered = updates.OrderBy(u => u.Region, StringComparer.Ordinal).ToList();
        double total = Options.Weighted ? ordered.Sum(u => (double)u.NumExamples) : ordered.Count;
        var result = global.Clone();
        for (int t = 0; t < global.Tensors.Count; t++)
        {
            var sum = new float[global.Tensors[t].Values.Length];
            foreach (var u in ordered)
            {
                float weight = (float)((Options.Weighted ? u.NumExamples : 1) / total);
                TensorPrimitives.MultiplyAdd(u.Delta.Tensors[t].Values, weight, sum, sum);
            }
            var target = result.Tensors[t].Values;
            TensorPrimitives.MultiplyAdd(sum, (float)Options.ServerLearningRate, target, target);
        }
        return result;
    }

    /// <inheritdoc/>
    public IReadOnlyList<RegionMetrics> AggregateEvaluate(IReadOnlyList<RegionMetrics> metrics) =>
        MetricsAggregation.WeightedMean(metrics);
}
