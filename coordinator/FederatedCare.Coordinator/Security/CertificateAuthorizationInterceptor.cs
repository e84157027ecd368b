using FederatedCare.Coordinator.Storage;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.Security;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace FederatedCare.Coordinator.Security;

/// <summary>
/// With mutual TLS on, every call's identity and role come from its client certificate (already checked against the
/// federation CA in the handshake): the call goes on only if <see cref="ServiceAccess"/> allows the role, and services
/// find the caller through <see cref="CallerIdentity"/>. Every <see cref="AccessDeniedException"/>, this class's own or
/// a service's, is logged and written to the audit log.
/// </summary>
internal sealed class CertificateAuthorizationInterceptor(ICoordinatorStore store, TimeProvider time,
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
        catch (AccessDeniedException e)
        {
            var method = GrpcMethod.Parse(context.Method).ToString();
            SecurityLog.AccessDenied(logger, e.Caller, method, e.Status.Detail);
            await store.Audit.AppendAsync(new AuditEntry(time.GetUtcNow(), e.Caller, "access.denied", null, null, $"{method}: {e.Status.Detail}"),
                CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private static void Authorize(ServerCallContext context)
    {
        // Kestrel requires a certificate in the handshake, so this is a second line of defence only.
        var certificate = context.GetHttpContext().Connection.ClientCertificate
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "A client certificate issued by the federation CA is required."));
        var method = GrpcMethod.Parse(context.Method);
        var caller = FederationIdentity.FromCertificate(certificate)
            ?? throw new AccessDeniedException($"certificate '{certificate.Subject}'",
                $"certificate '{certificate.Subject}' names no role (OU={string.Join(", OU=", FederationRoles.All)}) and may not call {method}.");
        if (!ServiceAccess.Allows(caller.Role, method))
            throw new AccessDeniedException(caller.ToString(), $"{caller.Role} '{caller.Name}' may not call {method}.");
        CallerIdentity.Set(context, caller);
    }
}
