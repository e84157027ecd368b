namespace FederatedCare.Protos.V1;

/// <summary>
/// Every string the coordinator, the node agents and the tools must spell alike and that the .proto files cannot
/// type: call headers, metric keys, evaluation splits, cross-site model labels, tensor-name prefixes, and the strategy
/// names and parameters a node acts on. Nothing outside this class writes one of these as a literal
/// (<c>WireNamesTests</c> scans the sources).
/// </summary>
public static class WireNames
{
    /// <summary>Call headers.</summary>
    public static class Headers
    {
        /// <summary>The node id <c>RegisterResponse.node_id</c> gave a node, on every call it makes after Register.</summary>
        public const string NodeId = "x-node-id";
    }

    /// <summary>Keys of <c>UpdateHeader.metrics</c> (what a node reports with a fit update).</summary>
    public static class FitMetrics
    {
        /// <summary>Mean of the round's mini-batch training losses.</summary>
        public const string TrainLoss = "train_loss";

        /// <summary>Mini-batches (local SGD steps) taken in the round.</summary>
        public const string TrainSteps = "train_steps";

        /// <summary>
        /// Training accuracy: the fraction of the mini-batch rows a node's model classified correctly while it trained
        /// (classification tasks only; regression sends none). The coordinator reads it for the fit rows of its metrics.
        /// </summary>
        public const string TrainAccuracy = "train_accuracy";
    }

    /// <summary>Keys of <c>RegionMetrics.extra</c> beyond the typed loss and accuracy.</summary>
    public static class Metrics
    {
        /// <summary>The typed <c>RegionMetrics.accuracy</c>, as tools name it when they pick a metric by name.</summary>
        public const string Accuracy = "accuracy";

        /// <summary>The typed <c>RegionMetrics.loss</c>, as tools name it.</summary>
        public const string Loss = "loss";

        /// <summary>ROC AUC (binary tasks; absent when the rows hold one class).</summary>
        public const string Auc = "auc";

        /// <summary>Macro F1 (multiclass tasks).</summary>
        public const string F1 = "f1";

        /// <summary>Root mean squared error (regression).</summary>
        public const string Rmse = "rmse";

        /// <summary>Mean absolute error (regression).</summary>
        public const string Mae = "mae";

        /// <summary>Coefficient of determination (regression; absent when the labels do not vary).</summary>
        public const string R2 = "r2";

        /// <summary>
        /// Harrell's C (concordance) of a survival model's risk score on the rows' times and events, in [0, 1]
        /// (survival tasks; absent when the rows hold no comparable pair).
        /// </summary>
        public const string CIndex = "c_index";
    }

    /// <summary>Values of <c>RegionMetrics.split</c> and <c>EvaluateTask.splits</c>.</summary>
    public static class Splits
    {
        /// <summary>A region's held-out test rows.</summary>
        public const string Test = "test";

        /// <summary>A region's training rows.</summary>
        public const string Train = "train";

        /// <summary>The metrics a node sent with its fit update (training loss while it trained).</summary>
        public const string Fit = "fit";
    }

    /// <summary>Values of <c>EvaluateTask.model_label</c> and <c>CrossSiteEntry.model_label</c>.</summary>
    public static class ModelLabels
    {
        /// <summary>The final global model.</summary>
        public const string Global = "global";

        /// <summary>Prefix of a region's final local model: <c>local:Halland</c>.</summary>
        public const string LocalPrefix = "local:";

        /// <summary>The label of <paramref name="region"/>'s local model.</summary>
        public static string Local(string region) => LocalPrefix + region;
    }

    /// <summary>Prefixes of tensor names in an uploaded payload.</summary>
    public static class TensorPrefixes
    {
        /// <summary>SCAFFOLD: a client's control-variate delta for model tensor <c>x</c> is named <c>control_delta/x</c>.</summary>
        public const string ControlDelta = "control_delta/";
    }

    /// <summary>Strategy names (<c>StrategySpec.name</c>) and parameters that nodes act on, not only the coordinator.</summary>
    public static class Strategies
    {
        /// <summary>FedProx: nodes add the proximal term (μ/2)·‖w − w_global‖².</summary>
        public const string FedProx = "fedprox";

        /// <summary>FedProx's μ in <c>StrategySpec.parameters</c>.</summary>
        public const string FedProxMu = "mu";

        /// <summary>SCAFFOLD: nodes correct their gradients with control variates and upload control deltas.</summary>
        public const string Scaffold = "scaffold";
    }

    /// <summary>Values of <c>RegisterRequest.device</c>.</summary>
    public static class Devices
    {
        /// <summary>Training on the CPU.</summary>
        public const string Cpu = "cpu";

        /// <summary>Training on a CUDA GPU.</summary>
        public const string Cuda = "cuda";
    }
}
