using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Strategies;

/// <summary>
/// A federated optimisation strategy: which clients train in a round and with what instructions, which tensors their
/// updates carry and how their evaluation metrics combine. How updates become the next global model is one of two
/// kinds: a server step on a weighted mean (<see cref="IMeanStrategy"/>) or a rule over all updates at once
/// (<see cref="IRobustStrategy"/>); a <see cref="Aggregation.RoundAccumulator"/> collects a round for either. One
/// instance serves one job, so server-side state (optimizer moments, SCAFFOLD's control variate) lives in the instance
/// and is exposed through <see cref="ServerState"/>. Implementations must be deterministic: the same inputs give
/// bit-identical outputs whatever order the updates arrived in.
/// </summary>
public interface IStrategy
{
    /// <summary>The registry name, e.g. <c>fedavg</c>.</summary>
    string Name { get; }

    /// <summary>
    /// The server state carried between rounds, by name (e.g. FedAdam's <c>m</c> and <c>v</c>, SCAFFOLD's <c>c</c>),
    /// each with the global model's names and shapes; empty for stateless strategies and before the first round.
    /// A snapshot meant for persistence: callers must not modify it. The job runner stores it with every round
    /// (StrategyCheckpoint) and hands it back through <see cref="RestoreState"/> when a job resumes.
    /// </summary>
    IReadOnlyDictionary<string, ModelParameters> ServerState { get; }

    /// <summary>
    /// Sets the server state to a snapshot taken from <see cref="ServerState"/> after some round, so a job resumed
    /// after a coordinator restart continues exactly as if it had never stopped. An empty snapshot means fresh state.
    /// </summary>
    /// <exception cref="ArgumentException">The snapshot lacks a tensor set the strategy needs.</exception>
    void RestoreState(IReadOnlyDictionary<string, ModelParameters> state);

    /// <summary>Selects the clients of a fit round, the strategy instructions sent with their task and any extra download.</summary>
    FitPlan ConfigureFit(FitContext context);

    /// <summary>
    /// The tensors a fit update must carry, in order: the global model's names and shapes (the delta), followed by
    /// whatever else the strategy needs from each client (SCAFFOLD: <c>control_delta/&lt;name&gt;</c> for every tensor).
    /// </summary>
    IReadOnlyList<TensorSpec> ExpectedUpdate(ModelParameters global);

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
/// <param name="Global">The global model the round starts from.</param>
public sealed record FitContext(int Round, int Attempt, JobSpec Spec, IReadOnlyList<AvailableClient> Available, ModelParameters Global);

/// <summary>The outcome of <see cref="IStrategy.ConfigureFit"/>.</summary>
/// <param name="Clients">The selected clients, sorted by region.</param>
/// <param name="Instructions">The strategy spec sent in each client's FitTask, with every locally used parameter resolved.</param>
/// <param name="ServerControl">
/// SCAFFOLD's server control variate c, which clients download by its SHA-256 (<c>FitTask.server_control_sha256</c>);
/// null for other strategies.
/// </param>
public sealed record FitPlan(IReadOnlyList<AvailableClient> Clients, StrategySpec Instructions, ModelParameters? ServerControl = null);

/// <summary>One accepted client update of a fit round.</summary>
/// <param name="Region">The client's region; updates are aggregated in ordinal region order.</param>
/// <param name="NumExamples">Local training examples (&gt; 0), the weight of weighted means.</param>
/// <param name="Delta">
/// Local weights minus the global weights, with the global model's names and shapes; <see cref="ClientUpdate.Folded"/>
/// (no tensors) in the round's record of answers when the accumulator holds or folded the values itself.
/// </param>
/// <param name="Metrics">The client's local training metrics, e.g. train_loss.</param>
/// <param name="ControlDelta">
/// SCAFFOLD only: the client's control-variate delta Δcᵢ = cᵢ⁺ − cᵢ, with the model's names (the wire prefix
/// <c>control_delta/</c> removed); null for other strategies.
/// </param>
/// <param name="DeltaNorm">
/// Jobs with differential privacy: the update's L2 norm, measured once when it arrived (<see cref="FederatedCare.Protos.Wire.UpdateNorm"/>), for
/// clipping; null when not measured.
/// </param>
public sealed record ClientUpdate(string Region, long NumExamples, ModelParameters Delta, IReadOnlyDictionary<string, double> Metrics,
    ModelParameters? ControlDelta = null, double? DeltaNorm = null)
{
    /// <summary>The placeholder delta of an update whose values the round's accumulator holds or folded.</summary>
    public static ModelParameters Folded { get; } = new([]);
}
