using FederatedCare.Protos.V1;

namespace FederatedCare.Node.Sdk;

/// <summary>What a node does with each task of its stream (pings included); <see cref="NodeLoop"/> calls it one task at a time.</summary>
public interface INodeTaskHandler
{
    /// <summary>
    /// Handles <paramref name="task"/>. A task that fails here should be logged and dropped; only cancellation and an
    /// Unauthenticated <see cref="Grpc.Core.RpcException"/> (the coordinator no longer knows the node) should escape.
    /// </summary>
    Task HandleAsync(NodeTask task, NodeSession session, CancellationToken cancellationToken);
}
