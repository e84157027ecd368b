using FederatedCare.Privacy;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Privacy;

/// <summary>
/// DP-FedAvg with fixed clipping (McMahan, Ramage, Talwar &amp; Zhang 2018, "Learning Differentially Private Recurrent
/// Language Models", ICLR, Algorithm 1 with flat clipping), a decorator of a mean strategy whose update is the model
/// delta (<see cref="IModelDeltaStrategy"/>), as Flower's <c>DifferentialPrivacyServerSideFixedClipping</c> and
/// <c>DifferentialPrivacyClientSideFixedClipping</c> wrap theirs:
/// <list type="number">
/// <item>each update is clipped, Δᵢ·min(1, C/‖Δᵢ‖₂), the norm taken over the whole update once on arrival — by the
/// coordinator, or by the node and then checked (<see cref="PrivacySettings.ClientSideClipping"/>); the clip factor is
/// the update's scale in the mean (<see cref="Clipping"/>) in both cases, so the bound holds up to float32 rounding of
/// the scaled values;</item>
/// <item>the m clipped updates are averaged <b>unweighted</b> (<see cref="Weight"/> = 1), Δ̄ = Σᵢ clip(Δᵢ) / m. Weighting
/// by num_examples, as plain FedAvg does, would let a region with many examples move the mean by more than C/m, so the
/// noise below would no longer cover one region's influence (McMahan et al. bound each user's weight for the same
/// reason);</item>
/// <item>N(0, (z·C/m)²) noise is added to every coordinate of Δ̄ (C/m is the mean's L2 sensitivity to one region's
/// update; m is the number of updates aggregated, as Flower divides by the number of sampled clients);</item>
/// <item>the wrapped strategy's server step applies to the noised mean: w + η·Δ̄ (FedAvg, FedProx) or an adaptive
/// step (FedAdam, FedYogi, FedAdagrad). Anything computed from the noised mean is post-processing and costs no privacy.</item>
/// </list>
/// The noise of round r comes from <see cref="NoiseKey.ForRound"/> (job id, seed, r), r taken from the round passed
/// to <see cref="Step"/>, so a job is reproducible given the coordinator's key. No state of its own between calls.
/// </summary>
public sealed class DpFedAvg : IMeanStrategy
{
    private readonly IModelDeltaStrategy _inner;
    private readonly NoiseKey _noiseKey;
    private readonly string _jobId;
    private readonly long _seed;

    /// <summary>Wraps <paramref name="inner"/> for job <paramref name="jobId"/> with seed <paramref name="seed"/>.</summary>
    public DpFedAvg(IModelDeltaStrategy inner, PrivacySettings settings, NoiseKey noiseKey, string jobId, long seed)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(noiseKey);
        (_inner, Settings, _noiseKey, _jobId, _seed) = (inner, settings, noiseKey, jobId, seed);
    }

    /// <summary>The privacy settings.</summary>
    public PrivacySettings Settings { get; }

    /// <inheritdoc/>
    public string Name => _inner.Name;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, ModelParameters> ServerState => _inner.ServerState;

    /// <inheritdoc/>
    public void RestoreState(IReadOnlyDictionary<string, ModelParameters> state) => _inner.RestoreState(state);

    /// <inheritdoc/>
    public FitPlan ConfigureFit(FitContext context) => _inner.ConfigureFit(context);

    /// <inheritdoc/>
    public IReadOnlyList<TensorSpec> ExpectedUpdate(ModelParameters global) => _inner.ExpectedUpdate(global);

    /// <summary>Every update counts once in the mean; its clip factor is its scale (<see cref="Clipping"/>), not a weight.</summary>
    public double Weight(FitContext round, int tensor, long numExamples) => 1;

    /// <summary>Each update is scaled by min(1, C/‖Δᵢ‖₂).</summary>
    public PrivacySettings Clipping => Settings;

    /// <summary>Adds round <c>round.Round</c>'s noise N(0, (z·C/m)²) to the mean of the clipped updates, then the inner server step.</summary>
    public ModelParameters Step(FitContext round, ModelParameters global, RoundMean mean)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(mean);
        using (var source = _noiseKey.ForRound(_jobId, _seed, round.Round))
            GaussianNoise.Add(mean.Tensors[..global.Tensors.Count], Settings.NoiseStdDev(mean.Count), source);
        return _inner.Step(round, global, mean);
    }

    /// <inheritdoc/>
    public IReadOnlyList<RegionMetrics> AggregateEvaluate(IReadOnlyList<RegionMetrics> metrics) => _inner.AggregateEvaluate(metrics);
}
