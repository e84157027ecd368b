using FederatedCare.Protos.Wire;
using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Training;

/// <summary>The outcome of local training.</summary>
/// <param name="Delta">Local weights minus the global weights, same names and shapes as the global model.</param>
/// <param name="NumExamples">Training rows (the FedAvg weight).</param>
/// <param name="Steps">Mini-batches taken.</param>
/// <param name="TrainLoss">Mean of the mini-batch losses.</param>
/// <param name="TrainAccuracy">Fraction of the mini-batch rows classified correctly during training; null for regression.</param>
public sealed record LocalUpdate(ModelParameters Delta, long NumExamples, long Steps, double TrainLoss, double? TrainAccuracy = null)
{
    /// <summary>The metrics sent with the update: loss and steps, and the accuracy when the task has one.</summary>
    public IReadOnlyDictionary<string, double> Metrics
    {
        get
        {
            var metrics = new Dictionary<string, double>
            {
                [WireNames.FitMetrics.TrainLoss] = TrainLoss,
                [WireNames.FitMetrics.TrainSteps] = Steps,
            };
            if (TrainAccuracy is { } accuracy) metrics[WireNames.FitMetrics.TrainAccuracy] = accuracy;
            return metrics;
        }
    }
}

/// <summary>Metrics of a model on one split.</summary>
/// <param name="Split"><c>test</c> or <c>train</c>.</param>
/// <param name="NumExamples">Rows evaluated.</param>
/// <param name="Loss">Mean loss (binary cross-entropy for logistic regression); NaN without rows.</param>
/// <param name="Accuracy">Fraction correct at threshold 0.5; NaN without rows.</param>
/// <param name="Auc">ROC AUC of the model's scores; null when the rows hold one class (or none).</param>
/// <param name="Extra">Further metrics of the task (<c>f1</c>; <c>rmse</c>, <c>mae</c>, <c>r2</c>), reported in RegionMetrics.extra.</param>
public sealed record Evaluation(string Split, long NumExamples, double Loss, double Accuracy, double? Auc,
    IReadOnlyDictionary<string, double>? Extra = null);
