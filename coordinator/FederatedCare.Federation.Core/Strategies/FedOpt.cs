using System.Numerics.Tensors;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Strategies;

/// <summary>
/// Adaptive server optimizers (Reddi et al. 2021, "Adaptive Federated Optimization", ICLR, Algorithm 2), as FLamby
/// implements them: the example-weighted mean delta Δ = Σ nᵢΔᵢ / Σ nᵢ is a pseudo-gradient, m = β1·m + (1 − β1)·Δ,
/// v follows the subclass's rule, and x ← x + η·m / (√v + τ); m and v start at 0, without bias correction.
/// The state (<c>m</c>, <c>v</c>) is kept in float32 like the model (exposed in <see cref="ServerState"/>); each round
/// is computed in float64, so Δ² neither underflows nor overflows and the step stays finite for any τ &gt; 0.
/// Memory: the two moments plus a few float64 buffers the size of one tensor. Δ comes from the round's accumulator
/// (a float32 mean, widened).
/// </summary>
public abstract class FedOpt(FedOptOptions options) : StrategyBase, IModelDeltaStrategy
{
    private ModelParameters? _m;
    private ModelParameters? _v;

    /// <summary>The parsed parameters.</summary>
    public FedOptOptions Options { get; } = options;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, ModelParameters> ServerState =>
        _m is null || _v is null ? base.ServerState : new Dictionary<string, ModelParameters> { ["m"] = _m, ["v"] = _v };

    /// <inheritdoc/>
    public override void RestoreState(IReadOnlyDictionary<string, ModelParameters> state)
    {
        var m = StateEntry(state, "m");
        var v = StateEntry(state, "v");
        (_m, _v) = (m, v);
    }

    /// <inheritdoc/>
    public double Weight(FitContext round, int tensor, long numExamples) => numExamples;

    /// <inheritdoc/>
    public ModelParameters Step(FitContext round, ModelParameters global, RoundMean mean)
    {
        ArgumentNullException.ThrowIfNull(mean);
        return Step(global, t => DeltaMath.ToDouble(mean.Tensors[t]));
    }

    // One optimizer step from the mean delta of each tensor.
    private ModelParameters Step(ModelParameters global, Func<int, double[]> meanDelta)
    {
        // New state objects each round: a published ServerState snapshot never changes underneath its reader.
        var m = _m?.Clone() ?? global.ZerosLike();
        var v = _v?.Clone() ?? global.ZerosLike();
        var result = global.Clone();
        var o = Options;
        for (int t = 0; t < global.Tensors.Count; t++)
        {
            var delta = meanDelta(t);
            var md = DeltaMath.ToDouble(m.Tensors[t].Values);
            var vd = DeltaMath.ToDouble(v.Tensors[t].Values);
            var scratch = new double[delta.Length];

            TensorPrimitives.Multiply(md, o.Beta1, md);
            TensorPrimitives.MultiplyAdd(delta, 1 - o.Beta1, md, md); // m = β1·m + (1 − β1)·Δ
            TensorPrimitives.Multiply(delta, delta, delta);            // Δ²
            UpdateSecondMoment(vd, delta, scratch);

            TensorPrimitives.Sqrt(vd, scratch);
            TensorPrimitives.Add(scratch, o.Tau, scratch);
            TensorPrimitives.Divide(md, scratch, scratch);             // m / (√v + τ)
            var x = DeltaMath.ToDouble(global.Tensors[t].Values);
            TensorPrimitives.MultiplyAdd(scratch, o.ServerLearningRate, x, x);

            DeltaMath.ToSingle(x, result.Tensors[t].Values);
            DeltaMath.ToSingle(md, m.Tensors[t].Values);
            DeltaMath.ToSingle(vd, v.Tensors[t].Values);
        }
        (_m, _v) = (m, v);
        return result;
    }

    /// <summary>Updates the second moment <paramref name="v"/> in place from Δ² (<paramref name="deltaSquared"/>).</summary>
    /// <param name="v">The second moment, float64.</param>
    /// <param name="deltaSquared">Δ², element-wise.</param>
    /// <param name="scratch">A buffer of the same length the rule may overwrite.</param>
    protected abstract void UpdateSecondMoment(Span<double> v, ReadOnlySpan<double> deltaSquared, Span<double> scratch);
}

/// <summary>FedAdagrad: v = v + Δ² (β2 is accepted for a uniform spec across the three, and unused).</summary>
public sealed class FedAdagrad(FedOptOptions options) : FedOpt(options)
{
    /// <summary>The registry name.</summary>
    public const string StrategyName = "fedadagrad";

    /// <inheritdoc/>
    public override string Name => StrategyName;

    /// <inheritdoc/>
    protected override void UpdateSecondMoment(Span<double> v, ReadOnlySpan<double> deltaSquared, Span<double> scratch) =>
        TensorPrimitives.Add(v, deltaSquared, v);
}

/// <summary>FedAdam: v = β2·v + (1 − β2)·Δ².</summary>
public sealed class FedAdam(FedOptOptions options) : FedOpt(options)
{
    /// <summary>The registry name.</summary>
    public const string StrategyName = "fedadam";

    /// <inheritdoc/>
    public override string Name => StrategyName;

    /// <inheritdoc/>
    protected override void UpdateSecondMoment(Span<double> v, ReadOnlySpan<double> deltaSquared, Span<double> scratch)
    {
        TensorPrimitives.Multiply(v, Options.Beta2, v);
        TensorPrimitives.MultiplyAdd(deltaSquared, 1 - Options.Beta2, v, v);
    }
}

/// <summary>FedYogi: v = v − (1 − β2)·Δ²·sign(v − Δ²), which keeps v ≥ 0 and grows it additively rather than multiplicatively.</summary>
public sealed class FedYogi(FedOptOptions options) : FedOpt(options)
{
    /// <summary>The registry name.</summary>
    public const string StrategyName = "fedyogi";

    /// <inheritdoc/>
    public override string Name => StrategyName;

    /// <inheritdoc/>
    protected override void UpdateSecondMoment(Span<double> v, ReadOnlySpan<double> deltaSquared, Span<double> scratch)
    {
        var sign = new int[v.Length];
        TensorPrimitives.Subtract(v, deltaSquared, scratch);
        TensorPrimitives.Sign<double>(scratch, sign);              // sign(v − Δ²), 0 where equal (torch.sign)
        TensorPrimitives.ConvertChecked<int, double>(sign, scratch);
        TensorPrimitives.Multiply(scratch, deltaSquared, scratch);
        TensorPrimitives.MultiplyAdd(scratch, -(1 - Options.Beta2), v, v);
    }
}
