using Grpc.Core;

namespace FederatedCare.Coordinator.Security;

/// <summary>
/// <see cref="StatusCode.Unauthenticated"/> because the caller's certificate is on the federation CA's revocation list.
/// <see cref="CertificateAuthorizationInterceptor"/> logs each one and audits it (capped per caller by RefusalAudit).
/// </summary>
/// <param name="caller">Who was refused, as audit entries name callers (e.g. <c>node:Karolinska</c>).</param>
/// <param name="serial">The certificate's serial number (hex).</param>
internal sealed class CertificateRevokedException(string caller, string serial)
    : RpcException(new Status(StatusCode.Unauthenticated, $"The certificate of {caller} (serial {serial}) is revoked by the federation CA."))
{
    public string Caller { get; } = caller;

    public string Serial { get; } = serial;
}
