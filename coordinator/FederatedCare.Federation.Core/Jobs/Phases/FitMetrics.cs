using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// The <c>fit</c> rows of a round's metrics: each update's local training metrics as the node sent them. The wire
/// keys are the contract's (<see cref="WireNames.FitMetrics"/>).
/// </summary>
public static class FitMetrics
{
    /// <summary>The split of these rows.</summary>
    public const string Split = WireNames.Splits.Fit;

    /// <summary>Mean of the node's mini-batch losses.</summary>
    public const string TrainLoss = WireNames.FitMetrics.TrainLoss;

    /// <summary>The node's training accuracy, when it sends one (classification tasks; regression has none).</summary>
    public const string TrainAccuracy = WireNames.FitMetrics.TrainAccuracy;

    /// <summary>
    /// One row per update with metrics: loss from <see cref="TrainLoss"/>, accuracy from <see cref="TrainAccuracy"/>
    /// (each 0 when the node sent none: RegionMetrics has no "absent" and the store refuses NaN), every other key in extra.
    /// </summary>
    public static IReadOnlyList<RegionMetrics> Rows(int round, IEnumerable<ClientUpdate> updates) => updates
        .Where(u => u.Metrics.Count > 0)
        .Select(u =>
        {
            var m = new RegionMetrics { Region = u.Region, Round = round, Split = Split, NumExamples = u.NumExamples };
            m.Loss = u.Metrics.TryGetValue(TrainLoss, out var loss) ? loss : 0;
            m.Accuracy = u.Metrics.TryGetValue(TrainAccuracy, out var accuracy) ? accuracy : 0;
            m.Extra.Add(u.Metrics.Where(kv => kv.Key is not (TrainLoss or TrainAccuracy)).ToDictionary());
            return m;
        })
        .ToList();
}
