using FederatedCare.NodeAgent.Options;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FederatedCare.NodeAgent.Agent;

/// <summary>Global models by SHA-256: from the <see cref="ModelCache"/>, else downloaded in chunks and verified.</summary>
public sealed class GlobalModelSource(CoordinatorConnection connection, IOptions<NodeAgentOptions> options, ILogger<GlobalModelSource> logger)
{
    private readonly ModelCache _cache = new(options.Value.ModelCacheSize);

    /// <summary>The global model <paramref name="sha256"/> of job <paramref name="jobId"/>.</summary>
    /// <exception cref="RpcException">The download failed.</exception>
    /// <exception cref="InvalidDataException">The stream was malformed, or its content is not the model asked for.</exception>
    public async Task<ModelParameters> GetAsync(string jobId, string sha256, NodeSession session, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sha256)) throw new InvalidDataException("The task names no global model (model_sha256 is empty).");
        if (_cache.TryGet(sha256, out var cached)) return cached;

        using var call = connection.Client.DownloadModel(
            new DownloadModelRequest { JobId = jobId, ModelSha256 = sha256 }, session.Headers, cancellationToken: cancellationToken);
        // ReadAsync checks that the manifest announces the model asked for (before allocating) and the payload against it.
        var model = await ModelStream.ReadAsync(call.ResponseStream, cancellationToken, expectedSha256: sha256).ConfigureAwait(false);
        _cache.Add(sha256, model);
        AgentLog.ModelDownloaded(logger, jobId, sha256, model.TotalBytes);
        return model;
    }
}
