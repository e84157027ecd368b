using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Coordinator.Strategies;

/// <summary>
/// A federated optimisation strategy: which clients train in a round and with what instructions, how their updates
/// become the next global model, and how their evaluation metrics combine. Implementations must be deterministic:
/// the same inputs give bit-identical outputs whatever order the updates arrived in.
/// </summary>
public interface IStrategy
{
    /// <summary>The registry name, e.g. <c>fedavg</c>.</summary>
    string Name { get; }

    /// <summary>Selects the clients of a fit round and the strategy instructions sent with their task.</summary>
    FitPlan ConfigureFit(FitContext context);

    /// <summary>
    /// The next global model from the current one and the accepted client updates (deltas with the global model's
    /// names and shapes; at least one). Must not modify <paramref name="global"/> or the updates.
    /// </summary>
    ModelParameters AggregateFit(ModelParameters global, IReadOnlyList<ClientUpdate> updates);

    /// <summary>The federated evaluation metrics of a round: one entry per split, region <c>*</c>.</summary>
    IReadOnlyList<RegionMetrics> AggregateEvaluate(IReadOnlyList<RegionMetrics> metrics);
}

/// <summary>A client that could take part in a round: a connected node and its region.</summary>
public sealed record AvailableClient(string NodeId, string Region);

/// <summary>Everything a strategy needs to configure a fit round.</summary>
/// <param name="Round">The round, 1-based.</param>
/// <param name="Attempt">0 for the first try of the round, then 1, 2... for retries.</param>
/// <param name="Spec">The job spec.</param>
/// <param name="Available">Connected participating clients, sorted by region (ordinal).</param>
public sealed record FitContext(int Round, int Attempt, JobSpec Spec, IReadOnlyList<AvailableClient> Available);

/// <summary>The outcome of <see cref="IStrategy.ConfigureFit"/>.</summary>
/// <param name="Clients">The selected clients, sorted by region.</param>
/// <param name="Instructions">The strategy spec sent in each client's FitTask.</param>
public sealed record FitPlan(IReadOnlyList<AvailableClient> Clients, StrategySpec Instructions);

/// <summary>One accepted client update of a fit round.</summary>
/// <param name="Region">The client's region; updates are aggregated in ordinal region order.</param>
/// <param name="NumExamples">Local training examples (&gt; 0), FedAvg's weight.</param>
/// <param name="Delta">Local weights minus the global weights, with the global model's names and shapes.</param>
/// <param name="Metrics">The client's local training metrics, e.g. train_loss.</param>
public sealed record ClientUpdate(string Region, long NumExamples, ModelParameters Delta, IReadOnlyDictionary<string, double> Metrics);
