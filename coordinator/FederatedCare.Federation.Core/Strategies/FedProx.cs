using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Strategies;

/// <summary>
/// FedProx (Li et al. 2020, "Federated Optimization in Heterogeneous Networks", MLSys): clients minimise their loss
/// plus (μ/2)·‖w − w_global‖², which keeps heterogeneous clients close to the global model; the server aggregates
/// exactly like FedAvg (example-weighted mean of the deltas, η = 1). The proximal term acts on the nodes: every FitTask
/// carries the strategy spec with <c>mu</c> resolved (the default written out), so nodes need not know defaults.
/// </summary>
public sealed class FedProx(FedProxOptions options) : StrategyBase, IStreamingStrategy, IMeanDeltaStrategy
{
    /// <summary>The registry name.</summary>
    public const string StrategyName = "fedprox";

    private readonly FedAvg _fedAvg = new(new FedAvgOptions());

    /// <summary>The parsed parameters.</summary>
    public FedProxOptions Options { get; } = options;

    /// <inheritdoc/>
    public override string Name => StrategyName;

    /// <inheritdoc/>
    public override ModelParameters AggregateFit(ModelParameters global, IReadOnlyList<ClientUpdate> updates) =>
        _fedAvg.AggregateFit(global, updates);

    /// <inheritdoc/>
    public double FoldWeight(int tensor, long numExamples) => _fedAvg.FoldWeight(tensor, numExamples);

    /// <inheritdoc/>
    public ModelParameters FinishFit(ModelParameters global, RunningSum sum) => _fedAvg.FinishFit(global, sum);

    /// <inheritdoc/>
    public ModelParameters ApplyMeanDelta(ModelParameters global, float[][] meanDelta) => _fedAvg.ApplyMeanDelta(global, meanDelta);

    /// <inheritdoc/>
    protected override StrategySpec Instructions(JobSpec spec) =>
        new() { Name = StrategyName, Parameters = { ["mu"] = Options.Mu } };
}
