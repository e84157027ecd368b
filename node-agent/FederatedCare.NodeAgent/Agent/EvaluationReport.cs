using FederatedCare.NodeAgent.Training;
using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Agent;

/// <summary>The ReportMetricsRequest answering an <see cref="EvaluateTask"/>.</summary>
public static class EvaluationReport
{
    /// <summary>Key of the ROC AUC in <see cref="RegionMetrics.Extra"/>.</summary>
    public const string AucKey = WireNames.Metrics.Auc;

    /// <summary>
    /// One <see cref="RegionMetrics"/> per evaluated split, with the task's job, round and
    /// <see cref="EvaluateTask.ModelLabel"/> echoed (empty for federated evaluation of the round's global model;
    /// <c>global</c> or <c>local:&lt;region&gt;</c> in cross-site validation). <c>extra["auc"]</c> is present only
    /// where the AUC is defined.
    /// </summary>
    public static ReportMetricsRequest Build(NodeTask task, string region, IEnumerable<Evaluation> results)
    {
        var request = new ReportMetricsRequest { JobId = task.JobId, Round = task.Round, ModelLabel = task.Evaluate?.ModelLabel ?? "" };
        foreach (var result in results)
        {
            var metrics = new RegionMetrics
            {
                Region = region,
                Round = task.Round,
                Split = result.Split,
                NumExamples = result.NumExamples,
                Loss = result.Loss,
                Accuracy = result.Accuracy,
            };
            if (result.Auc is { } auc) metrics.Extra[AucKey] = auc;
            foreach (var (key, value) in result.Extra ?? new Dictionary<string, double>())
                if (double.IsFinite(value)) metrics.Extra[key] = value;
            request.Metrics.Add(metrics);
        }
        return request;
    }
}
