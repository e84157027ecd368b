using System.Globalization;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Cli.Output;

/// <summary>
/// The <c>__metadata__</c> of a downloaded global model's safetensors file: what the coordinator stored with the model
/// (its encoded input columns and, with federated z-score, the pooled mean and standard deviation the regions
/// normalised with: <c>fedcare.feature_names</c>, <c>fedcare.feature_mean</c>, <c>fedcare.feature_scale</c>,
/// <c>fedcare.formula</c>), so the file alone can be applied to a new patient, plus the job and round it came from.
/// </summary>
public static class ModelExport
{
    /// <summary>The metadata to write for <paramref name="model"/> of <paramref name="jobId"/> (round, when known).</summary>
    public static IReadOnlyDictionary<string, string> Metadata(ModelParameters model, string jobId, int? round = null)
    {
        // Sorted, so the same model gives the same file whichever way its metadata arrived.
        var metadata = new SortedDictionary<string, string>(model.Metadata.ToDictionary(StringComparer.Ordinal), StringComparer.Ordinal) { ["job_id"] = jobId };
        if (round is { } r) metadata["round"] = r.ToString(CultureInfo.InvariantCulture);
        return metadata;
    }
}
