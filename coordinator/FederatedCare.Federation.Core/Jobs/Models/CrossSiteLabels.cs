using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// Names of the models under cross-site validation: the label nodes see in EvaluateTask.model_label and echo in
/// ReportMetricsRequest.model_label, and the tensor set that stores each region's final local model.
/// </summary>
public static class CrossSiteLabels
{
    /// <summary>The label of the final global model.</summary>
    public const string Global = WireNames.ModelLabels.Global;

    /// <summary>Label prefix of a region's final local model: <c>local:&lt;region&gt;</c>.</summary>
    public const string LocalPrefix = WireNames.ModelLabels.LocalPrefix;

    /// <summary>Tensor-set name prefix of a region's final local model: <c>local-&lt;region&gt;</c>.</summary>
    public const string TensorSetPrefix = "local-";

    /// <summary>The label of the local model stored as tensor set <paramref name="name"/> (<c>local-X</c> → <c>local:X</c>).</summary>
    public static string FromTensorSet(string name) => LocalPrefix + name[TensorSetPrefix.Length..];
}
