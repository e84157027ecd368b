using System.Numerics.Tensors;
using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Privacy;

/// <summary>
/// DP-FedAvg with fixed clipping (McMahan, Ramage, Talwar &amp; Zhang 2018, "Learning Differentially Private Recurrent
/// Language Models", ICLR, Algorithm 1 with flat clipping), wrapped around a strategy whose aggregate is a server step
/// on a mean delta (<see cref="IMeanDeltaStrategy"/>), as Flower's <c>DifferentialPrivacyServerSideFixedClipping</c>
/// and <c>DifferentialPrivacyClientSideFixedClipping</c> wrap theirs:
/// <list type="number">
/// <item>each update is clipped, Δᵢ·min(1, C/‖Δᵢ‖₂), the norm taken over the whole update — by the coordinator, or by
/// the node and then checked (<see cref="PrivacySettings.ClientSideClipping"/>); the coordinator applies the factor in
/// both cases, so the bound holds up to float32 rounding of the scaled values;</item>
/// <item>the m clipped updates are averaged <b>unweighted</b>, Δ̄ = Σᵢ clip(Δᵢ) / m. Weighting by num_examples, as plain
/// FedAvg does, would let a region with many examples move the mean by more than C/m, so the noise below would no
/// longer cover one region's influence (McMahan et al. bound each user's weight for the same reason);</item>
/// <item>N(0, (z·C/m)²) noise is added to every coordinate of Δ̄ (C/m is the mean's L2 sensitivity to one region's
/// update; m is the number of updates aggregated, as Flower divides by the number of sampled clients);</item>
/// <item>the wrapped strategy's server step applies to the noised mean: w + η·Δ̄ (FedAvg, FedProx) or an adaptive
/// step (FedAdam, FedYogi, FedAdagrad). Anything computed from the noised mean is post-processing and costs no privacy.</item>
/// </list>
/// The noise of round r comes from <see cref="NoiseKey.ForRound"/> (job id, seed, r), so a job is reproducible given
/// the coordinator's key. Streams (<see cref="IStreamingStrategy"/>): every update is folded with weight 1 and its clip
/// factor as it arrives (<see cref="RoundAggregation.Fold"/>); memory stays one running sum.
/// </summary>
public sealed class DpFedAvg : IStreamingStrategy
{
    private readonly IMeanDeltaStrategy _inner;
    private readonly PrivacySettings _settings;
    private readonly NoiseKey _noiseKey;
    private readonly string _jobId;
    private readonly long _seed;
    private int? _round;

    /// <summary>Wraps <paramref name="inner"/> for job <paramref name="jobId"/> with seed <paramref name="seed"/>.</summary>
    public DpFedAvg(IMeanDeltaStrategy inner, PrivacySettings settings, NoiseKey noiseKey, string jobId, long seed)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(noiseKey);
        (_inner, _settings, _noiseKey, _jobId, _seed) = (inner, settings, noiseKey, jobId, seed);
    }

    /// <summary>The privacy settings.</summary>
    public PrivacySettings Settings => _settings;

    /// <inheritdoc/>
    public string Name => _inner.Name;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, ModelParameters> ServerState => _inner.ServerState;

    /// <inheritdoc/>
    public void RestoreState(IReadOnlyDictionary<string, ModelParameters> state) => _inner.RestoreState(state);

    /// <summary>The wrapped strategy's plan; remembers the round, whose noise the next aggregation draws.</summary>
    public FitPlan ConfigureFit(FitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _round = context.Round;
        return _inner.ConfigureFit(context);
    }

    /// <inheritdoc/>
    public IReadOnlyList<TensorSpec> ExpectedUpdate(ModelParameters global) => _inner.ExpectedUpdate(global);

    /// <summary>
    /// Clips each update (by <see cref="ClientUpdate.DeltaNorm"/> when measured on arrival, else by its norm computed
    /// here), averages them unweighted in region order, adds the round's noise and applies the server step.
    /// </summary>
    /// <exception cref="InvalidOperationException">No round was configured (<see cref="ConfigureFit"/>).</exception>
    public ModelParameters AggregateFit(ModelParameters global, IReadOnlyList<ClientUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(updates);
        if (updates.Count == 0) throw new ArgumentException("DP-FedAvg needs at least one update.", nameof(updates));
        var ordered = updates.OrderBy(u => u.Region, StringComparer.Ordinal).ToList();
        // Each update's weight in the mean: its clip factor over m.
        var weights = ordered.Select(u => (float)(_settings.ClipFactor(u.DeltaNorm ?? UpdateNorm.L2(u.Delta)) / ordered.Count)).ToList();
        var mean = new float[global.Tensors.Count][];
        for (int t = 0; t < mean.Length; t++)
        {
            mean[t] = new float[global.Tensors[t].Values.Length];
            for (int i = 0; i < ordered.Count; i++)
                TensorPrimitives.MultiplyAdd(ordered[i].Delta.Tensors[t].Values, weights[i], mean[t], mean[t]);
        }
        return NoisedStep(global, mean, ordered.Count);
    }

    /// <summary>Every update counts once in the mean; its clip factor is applied as a fold scale, not a weight.</summary>
    public double FoldWeight(int tensor, long numExamples) => 1;

    /// <summary>Δ̄ = S / m from the running sum of the clipped updates, then noise and the server step.</summary>
    /// <exception cref="InvalidOperationException">No round was configured, or nothing was folded.</exception>
    public ModelParameters FinishFit(ModelParameters global, RunningSum sum)
    {
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(sum);
        int m = sum.Count;
        var mean = sum.TakeSums();
        for (int t = 0; t < global.Tensors.Count; t++) TensorPrimitives.Multiply(mean[t], 1f / m, mean[t]);
        return NoisedStep(global, mean[..global.Tensors.Count], m);
    }

    /// <inheritdoc/>
    public IReadOnlyList<RegionMetrics> AggregateEvaluate(IReadOnlyList<RegionMetrics> metrics) => _inner.AggregateEvaluate(metrics);

    private ModelParameters NoisedStep(ModelParameters global, float[][] mean, int updates)
    {
        int round = _round ?? throw new InvalidOperationException("DP-FedAvg draws each round's noise from the round ConfigureFit named; none was configured.");
        using (var source = _noiseKey.ForRound(_jobId, _seed, round))
            GaussianNoise.Add(mean, _settings.NoiseStdDev(updates), source);
        return _inner.ApplyMeanDelta(global, mean);
    }
}
