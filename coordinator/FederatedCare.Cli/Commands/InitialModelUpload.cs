using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Cli.Commands;

/// <summary>
/// <c>fedcare submit --initial-model FILE</c>: uploads a safetensors file (float32 tensors of the job's model layout)
/// with <c>Operator.UploadModel</c>, in the chunked, hash-checked model stream every transfer uses, and returns the
/// SHA-256 the job spec then names (<c>initial_model_sha256</c>).
/// </summary>
public static class InitialModelUpload
{
    /// <summary>Uploads <paramref name="path"/>; returns the coordinator's answer (the model's SHA-256 and size).</summary>
    /// <exception cref="InvalidDataException">The file is missing or not safetensors of float32 tensors.</exception>
    /// <exception cref="Grpc.Core.RpcException">The coordinator refused the model (InvalidArgument: too large, not finite).</exception>
    public static async Task<UploadModelResponse> UploadAsync(Operator.OperatorClient client, string path, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!File.Exists(path)) throw new InvalidDataException($"--initial-model: '{path}' does not exist.");
        var model = SafeTensors.ReadFile(path);
        using var call = client.UploadModel(cancellationToken: ct);
        foreach (var chunk in ModelStream.ToChunks(model)) await call.RequestStream.WriteAsync(chunk, ct);
        await call.RequestStream.CompleteAsync();
        return await call.ResponseAsync;
    }
}
