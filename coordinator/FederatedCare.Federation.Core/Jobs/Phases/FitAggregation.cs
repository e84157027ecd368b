using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// The aggregation of one fit attempt: the attempt's <see cref="RoundAccumulator"/> (which every update goes through,
/// decode to fold) and, where the mode aggregates, the step from its accepted updates to the next global model.
/// </summary>
public sealed class FitAggregation : IDisposable
{
    private readonly bool _aggregates;

    private FitAggregation(RoundAccumulator accumulator, bool aggregates) => (Accumulator, _aggregates) = (accumulator, aggregates);

    /// <summary>The accumulator the attempt's open round hands every update to.</summary>
    public RoundAccumulator Accumulator { get; }

    /// <summary>An attempt whose accepted updates <paramref name="strategy"/> aggregates.</summary>
    /// <param name="strategy">The job's strategy.</param>
    /// <param name="round">The attempt as configured.</param>
    /// <param name="keepsUpdates">Each region's delta is needed afterwards (cross-site validation): never streams.</param>
    /// <param name="options">Budget, upload buffers and the size limit.</param>
    public static FitAggregation Aggregating(IStrategy strategy, FitContext round, bool keepsUpdates, AggregationOptions options) =>
        new(RoundAccumulator.Create(strategy, round, keepsUpdates, options), aggregates: true);

    /// <summary>
    /// An attempt whose updates are only collected, kept whole and checked like any fit update (as a plain
    /// <paramref name="layoutOf"/> round), the global model staying as it is.
    /// </summary>
    public static FitAggregation Collecting(IStrategy layoutOf, FitContext round, AggregationOptions options) =>
        new(RoundAccumulator.Create(layoutOf, round, keepsUpdates: true, options), aggregates: false);

    /// <summary>The next global model from the accepted updates, or <paramref name="global"/> where nothing is aggregated.</summary>
    /// <exception cref="JobFailedException">The strategy cannot aggregate these updates.</exception>
    public ModelParameters Finish(int round, ModelParameters global)
    {
        if (!_aggregates) return global;
        try
        {
            return Accumulator.Finish(global);
        }
        catch (AggregationException e)
        {
            throw new JobFailedException($"round {round}: {e.Message}");
        }
    }

    /// <inheritdoc />
    public void Dispose() => Accumulator.Dispose();
}
