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
/// The round (its participants and N) is passed to every call; only c is carried between rounds.
/// Memory: c plus the round's mean.
/// </summary>
public sealed class Scaffold(ScaffoldOptions options) : StrategyBase, IMeanStrategy
{
    /// <summary>The registry name.</summary>
    public const string StrategyName = WireNames.Strategies.Scaffold;

    private ModelParameters? _c;

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
        ArgumentNullException.ThrowIfNull(context);
        _c ??= context.Global.ZerosLike();
        return new FitPlan(SelectClients(context), Instructions(context.Spec), _c);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<TensorSpec> ExpectedUpdate(ModelParameters global) =>
        [.. UpdateLayout.Of(global), .. UpdateLayout.Of(global, UpdateLayout.ControlDeltaPrefix)];

    /// <inheritdoc/>
    /// <remarks>Delta tensors (the first half of the layout) by nᵢ, control deltas (the second half) by 1.</remarks>
    public double Weight(FitContext round, int tensor, long numExamples)
    {
        ArgumentNullException.ThrowIfNull(round);
        return tensor < round.Global.Tensors.Count ? numExamples : 1;
    }

    /// <inheritdoc/>
    /// <remarks>N is the round's: spec.regions when set, else the clients available when it was configured.</remarks>
    public ModelParameters Step(FitContext round, ModelParameters global, RoundMean mean)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(mean);
        int n = global.Tensors.Count;
        if (mean.Tensors.Length != 2 * n)
            throw new ArgumentException($"scaffold: the mean has {mean.Tensors.Length} tensors, not the model's and their control deltas ({2 * n}).", nameof(mean));
        int regions = round.Spec.Regions.Count > 0 ? round.Spec.Regions.Count : round.Available.Count;
        float participation = (float)mean.Count / Math.Max(regions, mean.Count); // |S| / N
        // A new c each round: a handed-out c (FitPlan.ServerControl) never changes underneath its reader.
        var c = _c?.Clone() ?? global.ZerosLike();
        for (int t = 0; t < n; t++)
        {
            var control = c.Tensors[t].Values;
            ParallelMath.MultiplyAddInto(mean.Tensors[n + t], participation, control, control);
        }
        var result = FedAvg.Apply(global, mean.Tensors, Options.ServerLearningRate);
        _c = c;
        return result;
    }
}
