using FederatedCare.Coordinator.Security;
using FederatedCare.Protos.V1;
using Grpc.Core;

namespace FederatedCare.Coordinator.Federation;

/// <summary>
/// Resolves the calling node from the <c>x-node-id</c> header that every call after Register carries; with mutual TLS
/// only the certificate of the region that registered that node id may use it.
/// </summary>
internal static class NodeIdentity
{
    public const string Header = WireNames.Headers.NodeId;

    /// <exception cref="RpcException">Unauthenticated: the header is missing or names no registered node;
    /// InvalidArgument: the id is longer than <see cref="WireLimits.NodeIdChars"/> or holds a control character.</exception>
    /// <exception cref="AccessDeniedException">The caller's certificate is for another region than the node's.</exception>
    public static NodeSession Require(NodeRegistry registry, ServerCallContext context, string? fallbackId = null)
    {
        var id = context.RequestHeaders.GetValue(Header);
        if (string.IsNullOrEmpty(id)) id = fallbackId;
        if (string.IsNullOrEmpty(id))
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"Missing header '{Header}': call Register first."));
        RequestBounds.Text(id, Header, WireLimits.NodeIdChars);
        var session = registry.Find(id) ?? throw new RpcException(new Status(StatusCode.Unauthenticated,
            $"Unknown node id '{id}': it was never registered, was replaced by a newer registration of its region, " +
            "or the coordinator restarted. Call Register again."));
        RegionBinding.CheckSession(context, session);
        registry.Touch(session);
        return session;
    }
}
