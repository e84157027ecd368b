using System.Numerics.Tensors;
using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Strategies;

/// <summary>
/// SCAFFOLD (Karimireddy et al. 2020, "SCAFFOLD: Stochastic Controlled Averaging for Federated Learning", ICML,
/// Algorithm 1 with option II). The server keeps the control variate c (zeros at first, the model's names and
/// shapes), which nodes download by <c>FitTask.server_control_sha256</c>; each node corrects its local steps with
/// c − cᵢ and uploads its model delta Δyᵢ followed by its control delta Δcᵢ (tensors <c>control_delta/&lt;name&gt;</c>).
/// Server: x ← x + η_g · Σ nᵢΔyᵢ / Σ nᵢ and c ← c + (|S| / N) · mean(Δcᵢ), S the participants and N the job's
/// regions: spec.regions when set, else the clients available when the round was configured (never fewer than |S|).
/// Memory: c plus one accumulator the size of the model.
/// </summary>
public sealed class Scaffold(ScaffoldOptions options) : StrategyBase, IStreamingStrategy
{
    /// <summary>The registry name.</summary>
    public const string StrategyName = "scaffold";

    private ModelParameters? _c;
    private int _regions;
    private int _modelTensors;

    /// <summary>The parsed parameters.</summary>
    public ScaffoldOptions Options { get; } = options;

    /// <inheritdoc/>
    public override string Name => StrategyName;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, ModelParameters> ServerState =>
        _c is null ? base.ServerState : new Dictionary<string, ModelParameters> { ["c"] = _c };

    /// <inheritdoc/>
    public override void RestoreState(IReadOnlyDictionary<string, ModelParameters> state) => _c = StateEntry(state, "c");

    /// <inheritdoc/>
    public override FitPlan ConfigureFit(FitContext context)
    {
        _c ??= context.Global.ZerosLike();
        _modelTensors = context.Global.Tensors.Count;
        _regions = context.Spec.Regions.Count > 0 ? context.Spec.Regions.Count : context.Available.Count;
        return new FitPlan(SelectClients(context), Instructions(context.Spec), _c);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<TensorSpec> ExpectedUpdate(ModelParameters global)
    {
        _modelTensors = global.Tensors.Count;
        return [.. UpdateLayout.Of(global), .. UpdateLayout.Of(global, UpdateLayout.ControlDeltaPrefix)];
    }

    /// <inheritdoc/>
    public override ModelParameters AggregateFit(ModelParameters global, IReadOnlyList<ClientUpdate> updates)
    {
        var ordered = Ordered(updates);
        if (ordered.FirstOrDefault(u => u.ControlDelta is null) is { } missing)
            throw new ArgumentException($"scaffold: the update of region '{missing.Region}' has no control-variate delta.", nameof(updates));
        var result = global.Clone();
        var c = _c?.Clone() ?? global.ZerosLike();
        float participation = (float)ordered.Count / Math.Max(_regions, ordered.Count); // |S| / N
        for (int t = 0; t < global.Tensors.Count; t++)
        {
            var target = result.Tensors[t].Values;
            TensorPrimitives.MultiplyAdd(DeltaMath.Mean(ordered, t, weighted: true, u => u.Delta), (float)Options.ServerLearningRate, target, target);
            var control = c.Tensors[t].Values;
            TensorPrimitives.MultiplyAdd(DeltaMath.Mean(ordered, t, weighted: false, u => u.ControlDelta!), participation, control, control);
        }
        _c = c;
        return result;
    }

    /// <inheritdoc/>
    /// <remarks>Delta tensors (the first half of the layout) by nᵢ, control deltas (the second half) by 1.</remarks>
    public double FoldWeight(int tensor, long numExamples) => tensor < _modelTensors ? numExamples : 1;

    /// <inheritdoc/>
    public ModelParameters FinishFit(ModelParameters global, RunningSum sum)
    {
        int n = global.Tensors.Count;
        var sums = sum.Sums ?? throw new InvalidOperationException("No update was folded.");
        var c = _c?.Clone() ?? global.ZerosLike();
        float participation = (float)sum.Count / Math.Max(_regions, sum.Count); // |S| / N
        for (int t = 0; t < n; t++)
        {
            var control = c.Tensors[t].Values;
            ParallelMath.MultiplyAddInto(sums[n + t], (float)(participation / sum.Weights[n + t]), control, control);
        }
        var result = FedAvg.ApplyMean(global, sum, Options.ServerLearningRate);
        _c = c;
        return result;
    }
}
