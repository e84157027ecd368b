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

    /// <summary>
    /// The coordinator's clock minus this agent's, measured at registration (NTP-style, at the midpoint of the call):
    /// task deadlines are on the coordinator's clock, so the agent compares them with its own clock plus this.
    /// </summary>
    public TimeSpan ClockOffset { get; init; }

    /// <summary>Now on the coordinator's clock, as far as this agent can tell.</summary>
    public DateTimeOffset CoordinatorNow(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return time.GetUtcNow() + ClockOffset;
    }
}
