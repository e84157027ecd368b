using TorchSharp;
using static TorchSharp.torch;

namespace FederatedCare.NodeAgent.Training;

/// <summary>
/// The negative Cox partial log-likelihood with Breslow's handling of ties (Breslow 1974; Cox 1972), per row:
/// <c>−(1/n) Σ_{i: δᵢ=1} [ηᵢ − log Σ_{j: tⱼ ≥ tᵢ} exp(ηⱼ)]</c> over the n rows given (a mini-batch, or a region's
/// whole split), with their own risk sets — rows outside them are not in anyone's risk set. Every event tied at a
/// time shares that time's whole risk set (Breslow). Computed on the device: rows sorted by time, latest first; a
/// reverse cumulative log-sum-exp of η along that order gives every risk set's log Σ exp(η) stably (no exp of a
/// large η overflows), and a row tied with later-sorted rows reads the sum at its tie group's last position.
/// </summary>
/// <remarks>
/// Divided by the rows, not the events: FedAvg weights a region's update by its rows (num_examples), so with one
/// full-batch step per round the federated objective is Σ_k (n_k/N)·(ℓ_k/n_k) = (1/N)·Σ_k ℓ_k, the partial likelihood
/// stratified by region, whose optimum is the exact stratified fit. Dividing by events instead would weight region k
/// by n_k/d_k, i.e. by its censoring rate.
/// </remarks>
public static class CoxPartialLikelihoodLoss
{
    /// <summary>The loss of <paramref name="eta"/>; 0 (with a gradient of 0) when no row has an event.</summary>
    /// <param name="eta">Linear predictors (log relative hazards) [n, 1] or [n].</param>
    /// <param name="events">1 where the event was observed, 0 where censored, [n, 1] or [n], same dtype as <paramref name="eta"/>.</param>
    /// <param name="times">Follow-up times [n] (float64 so distinct times stay distinct), same device.</param>
    /// <returns>A scalar tensor.</returns>
    public static Tensor Compute(Tensor eta, Tensor events, Tensor times)
    {
        long n = eta.shape[0];
        using var scope = torch.NewDisposeScope();
        var (sortedTimes, order) = times.sort(0, descending: true, stable: true);
        var sortedEta = eta.reshape(-1).index_select(0, order);
        var sortedEvents = events.reshape(-1).index_select(0, order);
        // logcumsumexp[k] = log Σ exp(η) over the k+1 latest rows.
        var cumulative = sortedEta.logcumsumexp(0);
        // The risk set of time t is every row with time ≥ t: positions 0 .. (rows with time ≥ t) − 1 in this order,
        // and (rows with time ≥ t) = n − (rows with time < t), which searchsorted counts on the ascending times.
        var below = torch.searchsorted(sortedTimes.flip(0), sortedTimes);
        var logRisk = cumulative.index_select(0, below.neg().add(n - 1));
        var loss = sortedEta.sub(logRisk).mul(sortedEvents).sum().neg().div(n);
        return loss.MoveToOuterDisposeScope();
    }
}
