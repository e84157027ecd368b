using FederatedCare.Coordinator.Federation;
using FederatedCare.Protos.Security;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace FederatedCare.Coordinator.Security;

/// <summary>
/// With mutual TLS on, every call's identity and role come from its client certificate (already checked against the
/// federation CA in the handshake): a certificate on the current revocation list is refused with Unauthenticated (a
/// connection opened before the revocation skips the handshake, so each call is checked here), and otherwise the call
/// goes on only if <see cref="ServiceAccess"/> allows the role; services find the caller through
/// <see cref="CallerIdentity"/>. Every <see cref="AccessDeniedException"/>, this class's own or a service's, and every
/// revoked call is logged and audited through <see cref="RefusalAudit"/> (cut and rate-limited per caller), so a
/// caller retrying a forbidden or revoked call cannot flood the audit table.
/// </summary>
internal sealed class CertificateAuthorizationInterceptor(TlsCredentialsHolder tls, RefusalAudit refusals,
    ILogger<CertificateAuthorizationInterceptor> logger) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation) =>
        GuardAsync(context, () => continuation(request, context));

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        GuardAsync(context, () => continuation(requestStream, context));

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        GuardAsync(context, async () =>
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
            return true;
        });

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        GuardAsync(context, async () =>
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
            return true;
        });

    private async Task<T> GuardAsync<T>(ServerCallContext context, Func<Task<T>> call)
    {
        try
        {
            Authorize(context);
            return await call().ConfigureAwait(false);
        }
        catch (CertificateRevokedException e)
        {
            var method = GrpcMethod.Parse(context.Method).ToString();
            SecurityLog.CertificateRevoked(logger, e.Caller, e.Serial, method);
            await refusals.AppendAsync(e.Caller, RevokedNodeEviction.AuditAction, null, null, $"{method}: {e.Status.Detail}",
                CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (AccessDeniedException e)
        {
            var method = GrpcMethod.Parse(context.Method).ToString();
            SecurityLog.AccessDenied(logger, e.Caller, method, e.Status.Detail);
            await refusals.AppendAsync(e.Caller, "access.denied", null, null, $"{method}: {e.Status.Detail}",
                CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private void Authorize(ServerCallContext context)
    {
        // Kestrel requires a certificate in the handshake, so this is a second line of defence only.
        var certificate = context.GetHttpContext().Connection.ClientCertificate
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "A client certificate issued by the federation CA is required."));
        var method = GrpcMethod.Parse(context.Method);
        var identity = FederationIdentity.FromCertificate(certificate);
        if (tls.Current.IsRevoked(certificate))
            throw new CertificateRevokedException(identity?.ToString() ?? $"certificate '{certificate.Subject}'", certificate.SerialNumber);
        var caller = identity
            ?? throw new AccessDeniedException($"certificate '{certificate.Subject}'",
                $"certificate '{certificate.Subject}' names no role (OU={string.Join(", OU=", FederationRoles.All)}) and may not call {method}.");
        if (!ServiceAccess.Allows(caller.Role, method.Service))
            throw new AccessDeniedException(caller.ToString(), $"{caller.Role} '{caller.Name}' may not call {method}.");
        CallerIdentity.Set(context, caller, PeerCertificate.From(certificate));
    }
}
