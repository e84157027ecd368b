using FederatedCare.Protos.Wire;

namespace FederatedCare.Cli.Output;

/// <summary>
/// A downloaded global model as a safetensors file. Its <c>__metadata__</c> is what the coordinator sent with the
/// model: the job, round, spec SHA-256 and model SHA-256 (<c>fedcare.job_id</c>, <c>fedcare.round</c>,
/// <c>fedcare.spec_sha256</c>, <c>fedcare.model_sha256</c>) and, for jobs with a dataset schema, the encoded input
/// columns in order and, with federated z-score, the pooled mean and standard deviation the regions normalised with
/// (<c>fedcare.feature_names</c>, <c>fedcare.feature_mean</c>, <c>fedcare.feature_scale</c>, <c>fedcare.formula</c>),
/// so the file alone can be applied to a new patient and traced to its job.
/// </summary>
public static class ModelExport
{
    /// <summary>The metadata to write for <paramref name="model"/>: its own, sorted by key.</summary>
    public static IReadOnlyDictionary<string, string> Metadata(ModelParameters model)
    {
        ArgumentNullException.ThrowIfNull(model);
        // Sorted, so the same model gives the same file whichever way its metadata arrived.
        return new SortedDictionary<string, string>(model.Metadata.ToDictionary(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>
    /// Writes <paramref name="model"/> with its <see cref="Metadata"/> to <paramref name="path"/> (atomically) and
    /// returns the lower-case hex SHA-256 of the file's bytes as written: what <c>sha256sum</c> prints for it. (The
    /// model's own SHA-256, its version id, covers the tensors only and is in the metadata.)
    /// </summary>
    public static string WriteFile(ModelParameters model, string path) => SafeTensors.WriteFile(model, path, Metadata(model));
}
