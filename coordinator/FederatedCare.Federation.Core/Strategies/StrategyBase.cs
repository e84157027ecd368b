using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Strategies;

/// <summary>
/// What most strategies share: Flower-style client sampling (<see cref="ClientSelection"/>), the job's strategy spec
/// as FitTask instructions, updates laid out like the global model, no server state, and example-weighted evaluation
/// means. Subclasses define the aggregation (<see cref="IMeanStrategy"/> or <see cref="IRobustStrategy"/>).
/// </summary>
public abstract class StrategyBase : IStrategy
{
    private static readonly IReadOnlyDictionary<string, ModelParameters> NoState = new Dictionary<string, ModelParameters>();

    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public virtual IReadOnlyDictionary<string, ModelParameters> ServerState => NoState;

    /// <inheritdoc/>
    public virtual void RestoreState(IReadOnlyDictionary<string, ModelParameters> state) { }

    /// <summary>The named tensor set of a snapshot, or null when the snapshot is empty (fresh state).</summary>
    /// <exception cref="ArgumentException">The snapshot is not empty but lacks <paramref name="name"/>.</exception>
    protected ModelParameters? StateEntry(IReadOnlyDictionary<string, ModelParameters> state, string name)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Count == 0) return null;
        return state.TryGetValue(name, out var value) ? value.Clone()
            : throw new ArgumentException($"{Name}: the stored server state has no '{name}' (has: {string.Join(", ", state.Keys)}).", nameof(state));
    }

    /// <inheritdoc/>
    public virtual FitPlan ConfigureFit(FitContext context) => new(SelectClients(context), Instructions(context.Spec));

    /// <inheritdoc/>
    public virtual IReadOnlyList<TensorSpec> ExpectedUpdate(ModelParameters global) => UpdateLayout.Of(global);

    /// <inheritdoc/>
    public IReadOnlyList<RegionMetrics> AggregateEvaluate(IReadOnlyList<RegionMetrics> metrics) => MetricsAggregation.WeightedMean(metrics);

    /// <summary>The round's clients: max(min_fit_clients, ⌈fraction_fit × available⌉), seeded.</summary>
    protected static IReadOnlyList<AvailableClient> SelectClients(FitContext context) =>
        ClientSelection.Sample(context.Available, context.Spec.FractionFit, context.Spec.MinFitClients, context.Spec.Seed,
            context.Round, context.Attempt);

    /// <summary>The strategy spec sent in FitTask: the job's, by default.</summary>
    protected virtual StrategySpec Instructions(JobSpec spec) => spec.Strategy?.Clone() ?? new StrategySpec { Name = Name };

    /// <summary>The updates in ordinal region order (float addition is not associative: a fixed order makes sums reproducible).</summary>
    /// <exception cref="ArgumentException">No update.</exception>
    protected List<ClientUpdate> Ordered(IReadOnlyList<ClientUpdate> updates) => updates.Count == 0
        ? throw new ArgumentException($"{Name} needs at least one update.", nameof(updates))
        : updates.OrderBy(u => u.Region, StringComparer.Ordinal).ToList();
}
