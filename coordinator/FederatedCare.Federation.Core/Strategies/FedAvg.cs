using System.Numerics.Tensors;
using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Strategies;

/// <summary>
/// Federated Averaging (McMahan et al. 2017, "Communication-Efficient Learning of Deep Networks from Decentralized
/// Data", Algorithm 1): w ← w + η · Σᵢ nᵢ·Δᵢ / Σᵢ nᵢ, where Δᵢ is client i's local weights minus w and nᵢ its number
/// of training examples (η = 1 is the paper's rule). Memory: one accumulator the size of the model. Streams
/// (<see cref="IStreamingStrategy"/>): S = Σᵢ nᵢΔᵢ as updates arrive, then w + (η / Σ nᵢ)·S.
/// </summary>
public sealed class FedAvg(FedAvgOptions options) : StrategyBase, IStreamingStrategy, IMeanDeltaStrategy
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

    /// <inheritdoc/>
    public double FoldWeight(int tensor, long numExamples) => Options.Weighted ? numExamples : 1;

    /// <inheritdoc/>
    public ModelParameters FinishFit(ModelParameters global, RunningSum sum) => ApplyMean(global, sum, Options.ServerLearningRate);

    /// <inheritdoc/>
    /// <remarks>w + η·Δ̄, computed in place in <paramref name="meanDelta"/>'s arrays, which become the result.</remarks>
    public ModelParameters ApplyMeanDelta(ModelParameters global, float[][] meanDelta)
    {
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(meanDelta);
        var tensors = new List<NamedTensor>(global.Tensors.Count);
        for (int t = 0; t < global.Tensors.Count; t++)
        {
            var g = global.Tensors[t];
            ParallelMath.MultiplyAddInto(meanDelta[t], (float)Options.ServerLearningRate, g.Values, meanDelta[t]);
            tensors.Add(new NamedTensor(g.Name, (long[])g.Shape.Clone(), meanDelta[t]));
        }
        return new ModelParameters(tensors);
    }

    /// <summary>
    /// w + η·Sᵗ/Wᵗ for the global model's tensors (the first of the layout), computed in place in the sum's arrays,
    /// which become the result.
    /// </summary>
    internal static ModelParameters ApplyMean(ModelParameters global, RunningSum sum, double serverLearningRate)
    {
        var weights = sum.Weights;
        var sums = sum.TakeSums();
        var tensors = new List<NamedTensor>(global.Tensors.Count);
        for (int t = 0; t < global.Tensors.Count; t++)
        {
            var g = global.Tensors[t];
            ParallelMath.MultiplyAddInto(sums[t], (float)(serverLearningRate / weights[t]), g.Values, sums[t]);
            tensors.Add(new NamedTensor(g.Name, (long[])g.Shape.Clone(), sums[t]));
        }
        return new ModelParameters(tensors);
    }
}
