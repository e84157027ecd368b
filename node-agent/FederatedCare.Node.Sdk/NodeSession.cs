using Grpc.Core;
using FederatedCare.Protos.V1;

namespace FederatedCare.Node.Sdk;

/// <summary>The identity the coordinator gave this agent at registration; every later call carries it.</summary>
public sealed class NodeSession
{
    /// <summary>The header naming the node on every call after Register.</summary>
    public const string NodeIdHeader = WireNames.Headers.NodeId;

    /// <summary>Creates a session for <paramref name="nodeId"/>.</summary>
    public NodeSession(string nodeId, string region)
    {
        NodeId = nodeId;
        Region = region;
        Headers = new Metadata { { NodeIdHeader, nodeId } };
    }

    /// <summary>The coordinator-assigned node id.</summary>
    public string NodeId { get; }

    /// <summary>This agent's region.</summary>
    public string Region { get; }

    /// <summary>Call headers: <c>x-node-id</c>.</summary>
    public Metadata Headers { get; }
}
