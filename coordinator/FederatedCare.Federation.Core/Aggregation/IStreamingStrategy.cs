using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Aggregation;

/// <summary>
/// A strategy whose aggregate is a function of weighted sums of the updates (FedAvg, FedProx, FedAdam/Yogi/Adagrad,
/// SCAFFOLD), so each update can be folded into a <see cref="RunningSum"/> as it arrives and dropped: the coordinator
/// holds O(model size) memory whatever the number of clients. The result equals <see cref="IStrategy.AggregateFit"/>
/// on the same updates within float32 rounding (the fold order is the arrival order, see <see cref="RoundAggregation"/>).
/// </summary>
public interface IStreamingStrategy : IStrategy
{
    /// <summary>The weight of tensor <paramref name="tensor"/> (an index into the update layout) of an update with
    /// <paramref name="numExamples"/> examples, e.g. nᵢ for an example-weighted mean, 1 for a plain mean.</summary>
    double FoldWeight(int tensor, long numExamples);

    /// <summary>
    /// The next global model from the current one and the round's running sum (at least one update folded). May take
    /// the sum's arrays (<see cref="RunningSum.TakeSums"/>) for the result. Must not modify <paramref name="global"/>.
    /// </summary>
    ModelParameters FinishFit(ModelParameters global, RunningSum sum);
}
