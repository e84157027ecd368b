using FederatedCare.Protos.Wire;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace FederatedCare.Node.Sdk;

/// <summary>Global models by SHA-256: from a <see cref="ModelCache"/>, else downloaded in chunks and verified.</summary>
/// <param name="calls">The Federation calls.</param>
/// <param name="cacheSize">Models kept in memory, so that evaluate + fit of one model download it once.</param>
/// <param name="logger">Logs each download.</param>
public sealed class GlobalModelSource(FederationCalls calls, int cacheSize, ILogger<GlobalModelSource> logger) : IModelSource
{
    private readonly ModelCache _cache = new(cacheSize);

    /// <summary>The global model <paramref name="sha256"/> of job <paramref name="jobId"/>.</summary>
    /// <exception cref="RpcException">The download failed.</exception>
    /// <exception cref="InvalidDataException">The stream was malformed, or its content is not the model asked for.</exception>
    public async Task<ModelParameters> GetAsync(string jobId, string sha256, NodeSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (string.IsNullOrEmpty(sha256)) throw new InvalidDataException("The task names no global model (model_sha256 is empty).");
        if (_cache.TryGet(sha256, out var cached)) return cached;
        // The manifest must announce the model asked for (checked before allocating) and the payload must match it.
        var model = await calls.DownloadAsync(jobId, sha256, session.Headers, cancellationToken).ConfigureAwait(false);
        _cache.Add(sha256, model);
        SdkLog.ModelDownloaded(logger, jobId, sha256, model.TotalBytes);
        return model;
    }
}
