using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace FederatedCare.IntegrationTests;

/// <summary>
/// A server interceptor that records every request message the coordinator receives, so a test can check what
/// crossed the wire from the regions.
/// </summary>
internal sealed class RecordingInterceptor : Interceptor
{
    public ConcurrentQueue<(string Method, IMessage Message)> Received { get; } = new();

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Record(context, request);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Record(context, request);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        continuation(new RecordingReader<TRequest>(requestStream, m => Record(context, m)), context);

    private void Record<T>(ServerCallContext context, T message)
    {
        if (message is IMessage m) Received.Enqueue((context.Method, m.Clone()));
    }

    private sealed class RecordingReader<T>(IAsyncStreamReader<T> inner, Action<T> record) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            var more = await inner.MoveNext(cancellationToken);
            if (more) record(inner.Current);
            return more;
        }
    }
}

internal static class MessageExtensions
{
    public static IMessage Clone(this IMessage message) => message.Descriptor.Parser.ParseFrom(message.ToByteString());
}
