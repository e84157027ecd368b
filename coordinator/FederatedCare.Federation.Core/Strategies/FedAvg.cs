using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Strategies;

/// <summary>
/// Federated Averaging (McMahan et al. 2017, "Communication-Efficient Learning of Deep Networks from Decentralized
/// Data", Algorithm 1): w ← w + η · Σᵢ nᵢ·Δᵢ / Σᵢ nᵢ, where Δᵢ is client i's local weights minus w and nᵢ its number
/// of training examples (η = 1 is the paper's rule; <c>weighted = 0</c> gives every client weight 1). The mean comes
/// from the round's accumulator; the step is computed in place in its arrays, which become the result.
/// </summary>
public sealed class FedAvg(FedAvgOptions options) : StrategyBase, IModelDeltaStrategy
{
    /// <summary>The registry name.</summary>
    public const string StrategyName = "fedavg";

    /// <summary>The parsed parameters.</summary>
    public FedAvgOptions Options { get; } = options;

    /// <inheritdoc/>
    public override string Name => StrategyName;

    /// <inheritdoc/>
    public double Weight(FitContext round, int tensor, long numExamples) => Options.Weighted ? numExamples : 1;

    /// <inheritdoc/>
    public ModelParameters Step(FitContext round, ModelParameters global, RoundMean mean)
    {
        ArgumentNullException.ThrowIfNull(mean);
        return Apply(global, mean.Tensors, Options.ServerLearningRate);
    }

    /// <summary>
    /// w + η·Ū for the global model's tensors (the first of the layout), computed in place in <paramref name="mean"/>'s
    /// arrays, which become the result.
    /// </summary>
    internal static ModelParameters Apply(ModelParameters global, float[][] mean, double serverLearningRate)
    {
        ArgumentNullException.ThrowIfNull(global);
        var tensors = new List<NamedTensor>(global.Tensors.Count);
        for (int t = 0; t < global.Tensors.Count; t++)
        {
            var g = global.Tensors[t];
            ParallelMath.MultiplyAddInto(mean[t], (float)serverLearningRate, g.Values, mean[t]);
            tensors.Add(new NamedTensor(g.Name, (long[])g.Shape.Clone(), mean[t]));
        }
        return new ModelParameters(tensors);
    }
}
