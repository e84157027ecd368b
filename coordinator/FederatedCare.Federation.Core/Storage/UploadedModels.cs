namespace FederatedCare.Federation.Core.Storage;

/// <summary>
/// Where models an operator uploaded (<c>Operator.UploadModel</c>) wait for the jobs that start from them
/// (<c>JobSpec.initial_model_sha256</c>): the model store's folder <see cref="Owner"/>, content-addressed by SHA-256.
/// </summary>
public static class UploadedModels
{
    /// <summary>The pseudo job id the uploads are stored under; '_' cannot start a job id, so no job shares it.</summary>
    public const string Owner = "_uploads";

    /// <summary>The name an upload is stored under: <c>upload-&lt;sha256&gt;</c>.</summary>
    public static string Name(string sha256) => "upload-" + sha256;
}
