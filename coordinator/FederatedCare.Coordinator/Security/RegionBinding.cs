using FederatedCare.Coordinator.Federation;
using FederatedCare.Protos.V1;
using Grpc.Core;

namespace FederatedCare.Coordinator.Security;

/// <summary>
/// A node agent acts only for the region its certificate names: it registers as that region, and a node id is used
/// only by the certificate of the region that registered it. Names are compared in NFC (<see cref="RegionNames"/>),
/// the form registrations are stored in, whichever form the certificate's tool wrote. Without TLS there is no
/// certificate and nothing to check.
/// </summary>
internal static class RegionBinding
{
    /// <exception cref="AccessDeniedException">The certificate names another region.</exception>
    public static void CheckRegistration(ServerCallContext context, string region)
    {
        if (CallerIdentity.Find(context) is { } caller && !string.Equals(RegionNames.Normalize(caller.Name), region, StringComparison.Ordinal))
            throw new AccessDeniedException(caller.ToString(),
                $"node '{caller.Name}' may not register as region '{region}': its certificate is for region '{caller.Name}'.");
    }

    /// <exception cref="AccessDeniedException">The session was registered by another region.</exception>
    public static void CheckSession(ServerCallContext context, NodeSession session)
    {
        if (CallerIdentity.Find(context) is { } caller && !string.Equals(RegionNames.Normalize(caller.Name), session.Region, StringComparison.Ordinal))
            throw new AccessDeniedException(caller.ToString(),
                $"node '{caller.Name}' may not act as node {session.NodeId}, which region '{session.Region}' registered.");
    }
}
