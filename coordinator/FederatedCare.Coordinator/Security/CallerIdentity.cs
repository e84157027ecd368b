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
    private static readonly object CertificateKey = typeof(PeerCertificate);

    public static void Set(ServerCallContext context, FederationIdentity identity, PeerCertificate certificate)
    {
        context.UserState[Key] = identity;
        context.UserState[CertificateKey] = certificate;
    }

    /// <summary>The caller's certificate identity, or null without TLS.</summary>
    public static FederationIdentity? Find(ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var identity) ? (FederationIdentity)identity : null;

    /// <summary>What the coordinator keeps of the caller's certificate, or null without TLS.</summary>
    public static PeerCertificate? FindCertificate(ServerCallContext context) =>
        context.UserState.TryGetValue(CertificateKey, out var certificate) ? (PeerCertificate)certificate : null;
}
