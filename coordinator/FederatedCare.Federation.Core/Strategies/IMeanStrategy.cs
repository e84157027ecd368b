using FederatedCare.Privacy;
using FederatedCare.Federation.Core.Privacy;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Strategies;

/// <summary>
/// A strategy whose next global model is a server step on a weighted mean of the updates (FedAvg, FedProx,
/// FedAdagrad/FedAdam/FedYogi, SCAFFOLD): Ūᵗ = Σᵢ wᵢᵗ·sᵢ·Uᵢᵗ / Σᵢ wᵢᵗ for every tensor t of the update layout, with the
/// weights the strategy chooses (<see cref="Weight"/>) and the per-update scale sᵢ of <see cref="Clipping"/> (1 without).
/// The mean is a function of weighted sums, so a round can fold each update on arrival into a running sum and drop
/// it (<see cref="Aggregation.RoundAccumulator"/>): memory is the model size whatever the number of clients.
/// </summary>
public interface IMeanStrategy : IStrategy
{
    /// <summary>
    /// The weight of tensor <paramref name="tensor"/> (an index into the update layout) of an update with
    /// <paramref name="numExamples"/> examples in round <paramref name="round"/>, e.g. nᵢ for an example-weighted mean,
    /// 1 for a plain one.
    /// </summary>
    double Weight(FitContext round, int tensor, long numExamples);

    /// <summary>
    /// The clipping of each update before it enters the mean (differential privacy: sᵢ = min(1, C/‖Uᵢ‖₂), the norm of
    /// the whole update measured once on arrival), or null: no norm is measured and sᵢ = 1.
    /// </summary>
    PrivacySettings? Clipping => null;

    /// <summary>
    /// The next global model from the current one and the round's mean (at least one update). Updates the server state
    /// carried between rounds (<see cref="IStrategy.ServerState"/>). May take the mean's arrays for the result; must not
    /// modify <paramref name="global"/>.
    /// </summary>
    /// <param name="round">The round, as configured (<see cref="IStrategy.ConfigureFit"/> got the same context).</param>
    /// <param name="global">The global model the round started from.</param>
    /// <param name="mean">The weighted mean of the accepted updates, laid out like <see cref="IStrategy.ExpectedUpdate"/>.</param>
    ModelParameters Step(FitContext round, ModelParameters global, RoundMean mean);
}

/// <summary>
/// A mean strategy whose update is the model delta alone (FedAvg, FedProx, the adaptive optimizers, not SCAFFOLD), so
/// differential privacy can wrap it (<see cref="DpFedAvg"/>): the noise covers every tensor the mean is taken of.
/// </summary>
public interface IModelDeltaStrategy : IMeanStrategy;

/// <summary>
/// A strategy that needs every update of a round at once (coordinate-wise median and trimmed mean, Krum), so a round
/// keeps them all: memory grows with the number of clients.
/// </summary>
public interface IRobustStrategy : IStrategy
{
    /// <summary>
    /// The next global model from the current one and the accepted updates (at least one, in ordinal region order,
    /// laid out like the global model). Must not modify <paramref name="global"/> or the updates.
    /// </summary>
    /// <exception cref="AggregationException">The updates cannot be aggregated (e.g. too few for Krum); the job fails.</exception>
    ModelParameters Aggregate(FitContext round, ModelParameters global, IReadOnlyList<ClientUpdate> updates);
}
