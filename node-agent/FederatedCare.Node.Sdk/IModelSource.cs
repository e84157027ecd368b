using FederatedCare.Protos.Wire;

namespace FederatedCare.Node.Sdk;

/// <summary>Models of a job by SHA-256 (global models, SCAFFOLD's server control variate); <see cref="GlobalModelSource"/> downloads them.</summary>
public interface IModelSource
{
    /// <summary>The model <paramref name="sha256"/> of job <paramref name="jobId"/>.</summary>
    /// <exception cref="Grpc.Core.RpcException">The download failed.</exception>
    /// <exception cref="InvalidDataException">The content is not the model asked for.</exception>
    Task<ModelParameters> GetAsync(string jobId, string sha256, NodeSession session, CancellationToken cancellationToken);
}
