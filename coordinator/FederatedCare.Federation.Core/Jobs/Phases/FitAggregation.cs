using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// The aggregation of one fit attempt, the only place the fit round calls into Aggregation/ and the strategy's
/// aggregate: updates of streaming strategies are folded into <see cref="Streaming"/> as they arrive (a fresh sum per
/// attempt), the others are kept whole and aggregated at the end.
/// </summary>
public sealed class FitAggregation : IDisposable
{
    private readonly IStrategy _strategy;

    private FitAggregation(IStrategy strategy, RoundAggregation? streaming) => (_strategy, Streaming) = (strategy, streaming);

    /// <summary>The running sum the open round folds accepted updates into; null when updates are kept whole.</summary>
    public RoundAggregation? Streaming { get; }

    /// <summary>Starts the attempt's aggregation; <paramref name="keepsUpdates"/> when each region's delta is needed afterwards.</summary>
    public static FitAggregation Start(IStrategy strategy, IReadOnlyList<TensorSpec> expected, bool keepsUpdates, AggregationOptions options) =>
        new(strategy, RoundAggregation.Create(strategy, expected, keepsUpdates, options));

    /// <summary>The next global model from the accepted updates (sorted by region).</summary>
    /// <exception cref="JobFailedException">The strategy cannot aggregate these updates.</exception>
    public ModelParameters Finish(int round, ModelParameters global, IReadOnlyList<ClientUpdate> accepted)
    {
        if (Streaming is not null) return Streaming.Finish(global);
        try
        {
            return _strategy.AggregateFit(global, accepted);
        }
        catch (AggregationException e)
        {
            throw new JobFailedException($"round {round}: {e.Message}");
        }
    }

    /// <inheritdoc />
    public void Dispose() => Streaming?.Dispose();
}
