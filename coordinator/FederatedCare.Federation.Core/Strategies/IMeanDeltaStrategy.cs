using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Strategies;

/// <summary>
/// A strategy whose aggregate is a server step applied to a mean of the client deltas Δ̄ (FedAvg and FedProx:
/// w + η·Δ̄; FedAdagrad, FedAdam, FedYogi: one adaptive optimizer step with Δ̄ as pseudo-gradient). The step can be
/// fed a mean computed elsewhere, such as DP-FedAvg's clipped, noised mean (<see cref="Privacy.DpFedAvg"/>).
/// </summary>
public interface IMeanDeltaStrategy : IStrategy
{
    /// <summary>
    /// The next global model from the current one and a mean delta (one array per tensor of the global model, same
    /// lengths). Updates server state as <see cref="IStrategy.AggregateFit"/> would. May take the arrays of
    /// <paramref name="meanDelta"/> for the result; must not modify <paramref name="global"/>.
    /// </summary>
    ModelParameters ApplyMeanDelta(ModelParameters global, float[][] meanDelta);
}
