using Google.Protobuf;
using Grpc.Core;

namespace FederatedCare.NodeAgent.Tests.Sdk;

/// <summary>
/// The coordinator as a handler test sees it: unary calls whose request is one of <paramref name="accepted"/> (any,
/// when none is given) are answered at once with an empty response and recorded; every other call fails the test.
/// </summary>
internal sealed class ScriptedCallInvoker(params Type[] accepted) : CallInvoker
{
    /// <summary>The accepted requests, in order.</summary>
    public List<IMessage> Requests { get; } = [];

    /// <summary>Called with each accepted call's method name (e.g. "ReportStatistics").</summary>
    public Action<string>? OnCall { get; init; }

    /// <summary>The accepted requests of type <typeparamref name="T"/>.</summary>
    public IReadOnlyList<T> Of<T>() => [.. Requests.OfType<T>()];

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        if (accepted.Length > 0 && !accepted.Contains(typeof(TRequest))) throw Fail(method);
        Requests.Add((IMessage)request!);
        OnCall?.Invoke(method.Name);
        // Every response message has a parameterless constructor.
        return new AsyncUnaryCall<TResponse>(Task.FromResult(Activator.CreateInstance<TResponse>()), Task.FromResult(new Metadata()),
            () => Status.DefaultSuccess, () => [], () => { });
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw Fail(method);
    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw Fail(method);
    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw Fail(method);
    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw Fail(method);

    private static Xunit.Sdk.XunitException Fail(IMethod method) => new($"unexpected call {method.FullName}");
}
