using Grpc.Core;

namespace FederatedCare.Coordinator.Security;

/// <summary>
/// <see cref="StatusCode.PermissionDenied"/> because of who the caller is (its role, or the region its certificate
/// names). <see cref="CertificateAuthorizationInterceptor"/> writes each one to the audit log.
/// </summary>
/// <param name="caller">Who was refused, as audit entries name callers (e.g. <c>researcher:bob</c>).</param>
/// <param name="detail">The status detail, e.g. "researcher 'bob' may not call Operator/StartJob".</param>
internal sealed class AccessDeniedException(string caller, string detail) : RpcException(new Status(StatusCode.PermissionDenied, detail))
{
    public string Caller { get; } = caller;
}
