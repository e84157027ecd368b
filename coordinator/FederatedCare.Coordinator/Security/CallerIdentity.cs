using FederatedCare.Protos.Security;
using Grpc.Core;

namespace FederatedCare.Coordinator.Security;

/// <summary>
/// The authenticated caller of a gRPC call, as <see cref="CertificateAuthorizationInterceptor"/> found it in the
/// client certificate. Absent when the coordinator runs without TLS.
/// </summary>
internal static class CallerIdentity
{
    private static readonly object Key = typeof(FederationIdentity);

    public static void Set(ServerCallContext context, FederationIdentity identity) => context.UserState[Key] = identity;

    /// <summary>The caller's certificate identity, or null without TLS.</summary>
    public static FederationIdentity? Find(ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var identity) ? (FederationIdentity)identity : null;
}
