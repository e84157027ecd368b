using System.Globalization;
using System.Security.Cryptography;
using FederatedCare.Protos.V1;
using Google.Protobuf;

namespace FederatedCare.Protos.Wire;

/// <summary>
/// Where a downloaded global model comes from, added to its metadata (and so to the safetensors <c>__metadata__</c> of
/// <c>fedcare download</c>) beside what the job stored with it (the coordinator's NormalizationExport: input columns, normalisation): the job, the round, the
/// spec's SHA-256 (the hash the regions' approvals and audit logs name) and the tensors' SHA-256 (the model's version
/// id, as <c>fedcare rounds</c> lists it). None of it is part of either hash.
/// </summary>
public static class ModelProvenance
{
    /// <summary>Metadata key: the job's id.</summary>
    public const string JobId = "fedcare.job_id";

    /// <summary>Metadata key: the round after which the model was stored (0: the initial model), decimal.</summary>
    public const string Round = "fedcare.round";

    /// <summary>Metadata key: lower-case hex SHA-256 of the job spec's protobuf encoding.</summary>
    public const string SpecSha256 = "fedcare.spec_sha256";

    /// <summary>Metadata key: lower-case hex SHA-256 of the tensor payload (float32, manifest order): the model's version id.</summary>
    public const string ModelSha256 = "fedcare.model_sha256";

    /// <summary>SHA-256 (lower-case hex) of <paramref name="spec"/>'s protobuf encoding, as the nodes compute it (JobFacts).</summary>
    public static string SpecHash(JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Convert.ToHexStringLower(SHA256.HashData(spec.ToByteArray()));
    }

    /// <summary><paramref name="model"/>'s metadata with the provenance of round <paramref name="round"/> of <paramref name="job"/> added.</summary>
    /// <param name="model">The stored global model.</param>
    /// <param name="job">Its job.</param>
    /// <param name="round">The round it was stored after.</param>
    /// <param name="modelSha256">The round's stored model hash.</param>
    public static ModelParameters With(ModelParameters model, JobStatus job, int round, string modelSha256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(job);
        var metadata = new Dictionary<string, string>(model.Metadata, StringComparer.Ordinal)
        {
            [JobId] = job.JobId,
            [Round] = round.ToString(CultureInfo.InvariantCulture),
            [SpecSha256] = SpecHash(job.Spec),
            [ModelSha256] = modelSha256,
        };
        return model.WithMetadata(metadata);
    }
}
