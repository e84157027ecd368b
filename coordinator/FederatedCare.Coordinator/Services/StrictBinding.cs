using Google.Protobuf;
using Grpc.Core;

namespace FederatedCare.Coordinator.Services;

/// <summary>
/// Binds the coordinator's services with request marshallers that turn a malformed message into
/// <c>InvalidArgument</c> with the parser's reason. grpc-dotnet deserialises a unary or server-streaming request
/// before any interceptor or handler runs, and reports a parser exception as <c>Unknown</c> ("Exception was thrown by
/// handler"): a field claiming 2³¹ bytes, wire type 7 or a truncated message looked like a coordinator bug (issue 14).
/// An <see cref="RpcException"/> thrown by the deserializer keeps its status, for unary calls and inside a request
/// stream's <c>MoveNext</c> alike. Each service names its binding with <see cref="BindServiceMethodAttribute"/>, which
/// grpc-dotnet prefers to the generated base class's; the second parameter stays the generated base type because
/// grpc-dotnet finds the handlers as overrides of that type's methods.
/// </summary>
internal static class StrictBinding
{
    /// <summary>Binds the Federation service (node agents).</summary>
    public static void BindFederation(ServiceBinderBase binder, Protos.V1.Federation.FederationBase service) =>
        Protos.V1.Federation.BindService(new StrictBinder(binder), service);

    /// <summary>Binds the Operator service.</summary>
    public static void BindOperator(ServiceBinderBase binder, Protos.V1.Operator.OperatorBase service) =>
        Protos.V1.Operator.BindService(new StrictBinder(binder), service);

    /// <summary>Binds the Research service.</summary>
    public static void BindResearch(ServiceBinderBase binder, Protos.V1.Research.ResearchBase service) =>
        Protos.V1.Research.BindService(new StrictBinder(binder), service);

    /// <summary>A request marshaller whose deserializer reports a malformed message as InvalidArgument.</summary>
    public static Marshaller<T> Strict<T>(Marshaller<T> inner) => Marshallers.Create(inner.ContextualSerializer, context =>
    {
        try
        {
            return inner.ContextualDeserializer(context);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"Malformed {typeof(T).Name}: {e.Message}"));
        }
    });

    // Forwards every method to grpc-dotnet's binder with the request marshaller made strict.
    private sealed class StrictBinder(ServiceBinderBase inner) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Strict(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Strict(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Strict(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(Strict(method), handler);

        private static Method<TRequest, TResponse> Strict<TRequest, TResponse>(Method<TRequest, TResponse> method)
            where TRequest : class where TResponse : class =>
            new(method.Type, method.ServiceName, method.Name, StrictBinding.Strict(method.RequestMarshaller), method.ResponseMarshaller);
    }
}
