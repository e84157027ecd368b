using FederatedCare.NodeAgent.Analysis;
using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Training;

/// <summary>
/// Evaluation metrics that follow the label task. Binary: accuracy at 0.5, ROC AUC, F1 of the positive class.
/// Multi-class: accuracy of the arg-max, macro-F1, macro one-vs-rest AUC (over the classes present with negatives).
/// Regression: accuracy 0, loss = MSE, RMSE, MAE, R² (1 − SSE/SST; absent when the targets are constant).
/// Survival: accuracy 0, loss = negative partial log-likelihood per row, Harrell's C of the risk score
/// (<see cref="HarrellConcordance"/>; absent without a comparable pair).
/// </summary>
public static class TaskMetrics
{
    /// <summary>Key of F1 (macro-F1 for multi-class) in the extra metrics.</summary>
    public const string F1 = WireNames.Metrics.F1;

    /// <summary>Binary metrics from probabilities; <paramref name="accuracy"/> as the caller computed it on the device.</summary>
    public static Evaluation Binary(string split, float[] scores, float[] labels, double loss, double accuracy)
    {
        var predicted = scores.Select(s => s > 0.5f ? 1 : 0).ToArray();
        var truth = labels.Select(l => l > 0.5f ? 1 : 0).ToArray();
        return new Evaluation(split, labels.Length, loss, accuracy, RocAuc.Compute(scores, labels),
            new Dictionary<string, double> { [F1] = ClassF1(predicted, truth, 1) });
    }

    /// <summary>Multi-class metrics from logits (row-major [N, classes]).</summary>
    public static Evaluation MultiClass(string split, float[] logits, float[] labels, int classes, double loss)
    {
        int n = labels.Length;
        var predicted = new int[n];
        var truth = labels.Select(l => (int)l).ToArray();
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            for (int c = 1; c < classes; c++) if (logits[i * classes + c] > logits[i * classes + best]) best = c;
            predicted[i] = best;
        }
        double accuracy = n == 0 ? double.NaN : (double)predicted.Zip(truth).Count(p => p.First == p.Second) / n;
        var extra = new Dictionary<string, double> { [F1] = Enumerable.Range(0, classes).Average(c => ClassF1(predicted, truth, c)) };
        var aucs = new List<double>();
        for (int c = 0; c < classes; c++)
        {
            var scores = new float[n];
            var isClass = new float[n];
            for (int i = 0; i < n; i++)
            {
                double max = Enumerable.Range(0, classes).Max(k => logits[i * classes + k]);
                double sum = Enumerable.Range(0, classes).Sum(k => Math.Exp(logits[i * classes + k] - max));
                scores[i] = (float)(Math.Exp(logits[i * classes + c] - max) / sum);
                isClass[i] = truth[i] == c ? 1 : 0;
            }
            if (RocAuc.Compute(scores, isClass) is { } auc) aucs.Add(auc);
        }
        return new Evaluation(split, n, loss, accuracy, aucs.Count > 0 ? aucs.Average() : null, extra);
    }

    /// <summary>Regression metrics from predictions [N].</summary>
    public static Evaluation Regression(string split, float[] predicted, float[] targets, double loss)
    {
        int n = targets.Length;
        double sse = 0, sae = 0;
        for (int i = 0; i < n; i++)
        {
            double e = predicted[i] - (double)targets[i];
            sse += e * e;
            sae += Math.Abs(e);
        }
        double mean = targets.Average(t => (double)t);
        double sst = targets.Sum(t => (t - mean) * (t - mean));
        var extra = new Dictionary<string, double> { [WireNames.Metrics.Rmse] = Math.Sqrt(sse / n), [WireNames.Metrics.Mae] = sae / n };
        if (sst > 0) extra[WireNames.Metrics.R2] = 1 - sse / sst;
        return new Evaluation(split, n, loss, 0, null, extra);
    }

    /// <summary>Survival metrics from risk scores η [N] (higher: the event expected sooner), the events (1/0) and times.</summary>
    public static Evaluation Survival(string split, float[] scores, float[] events, double[] times, double loss)
    {
        var (c, comparable) = HarrellConcordance.Compute(times, events.Select(e => e == 1f).ToArray(), scores.Select(s => (double)s).ToArray());
        var extra = new Dictionary<string, double>();
        if (comparable > 0) extra[WireNames.Metrics.CIndex] = c;
        return new Evaluation(split, events.Length, loss, 0, null, extra);
    }

    // F1 of one class: 2·TP / (2·TP + FP + FN); 0 when the class is neither predicted nor present.
    private static double ClassF1(int[] predicted, int[] truth, int c)
    {
        int tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            if (predicted[i] == c && truth[i] == c) tp++;
            else if (predicted[i] == c) fp++;
            else if (truth[i] == c) fn++;
        }
        return tp + fp + fn == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }
}
