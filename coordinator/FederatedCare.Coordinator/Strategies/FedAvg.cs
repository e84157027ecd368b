using System.Numerics.Tensors;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Coordinator.Strategies;

/// <summary>
/// Federated Averaging (McMahan et al. 2017, "Communication-Efficient Learning of Deep Networks from Decentralized
/// Data", Algorithm 1): w ← w + η · Σᵢ nᵢ·Δᵢ / Σᵢ nᵢ, where Δᵢ is client i's local weights minus w and nᵢ its number
/// of training examples (η = 1 is the paper's rule). Memory: one accumulator the size of the model.
/// </summary>
public sealed class FedAvg(FedAvgOptions options) : StrategyBase
{
    /// <summary>The registry name.</summary>
    public const string StrategyName = "fedavg";

    /// <summary>The parsed parameters.</summary>
    public FedAvgOptions Options { get; } = options;

    /// <inheritdoc/>
    public override string Name => StrategyName;

    /// <inheritdoc/>
    public override ModelParameters AggregateFit(ModelParameters global, IReadOnlyList<ClientUpdate> updates)
    {
        var ordered = Ordered(updates);
        var result = global.Clone();
        for (int t = 0; t < global.Tensors.Count; t++)
        {
            var mean = DeltaMath.Mean(ordered, t, Options.Weighted, u => u.Delta);
            var target = result.Tensors[t].Values;
            TensorPrimitives.MultiplyAdd(mean, (float)Options.ServerLearningRate, target, target);
        }
        return result;
    }
}
