using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Strategies;

/// <summary>
/// FedProx (Li et al. 2020, "Federated Optimization in Heterogeneous Networks", MLSys): clients minimise their loss
/// plus (μ/2)·‖w − w_global‖², which keeps heterogeneous clients close to the global model; the server aggregates
/// exactly like FedAvg (example-weighted mean of the deltas, η = 1). The proximal term acts on the nodes: every FitTask
/// carries the strategy spec with <c>mu</c> resolved (the default written out), so nodes need not know defaults.
/// </summary>
public sealed class FedProx(FedProxOptions options) : StrategyBase, IModelDeltaStrategy
{
    /// <summary>The registry name.</summary>
    public const string StrategyName = WireNames.Strategies.FedProx;

    private readonly FedAvg _fedAvg = new(new FedAvgOptions());

    /// <summary>The parsed parameters.</summary>
    public FedProxOptions Options { get; } = options;

    /// <inheritdoc/>
    public override string Name => StrategyName;

    /// <inheritdoc/>
    public double Weight(FitContext round, int tensor, long numExamples) => _fedAvg.Weight(round, tensor, numExamples);

    /// <inheritdoc/>
    public ModelParameters Step(FitContext round, ModelParameters global, RoundMean mean) => _fedAvg.Step(round, global, mean);

    /// <inheritdoc/>
    protected override StrategySpec Instructions(JobSpec spec) =>
        new() { Name = StrategyName, Parameters = { [WireNames.Strategies.FedProxMu] = Options.Mu } };
}
