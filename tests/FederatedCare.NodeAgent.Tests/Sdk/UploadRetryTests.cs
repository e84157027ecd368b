using FederatedCare.Node.Sdk;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace FederatedCare.NodeAgent.Tests.Sdk;

/// <summary>
/// An upload cut off on the way is sent again by the agent — the same bytes, so the coordinator counts it once — after
/// a backoff, while the round's deadline allows; a refusal of the update itself is not retried.
/// </summary>
public sealed class UploadRetryTests
{
    private static readonly NodeSession Session = new("node-1", "Halland");
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_000_000);

    /// <summary>A clock that stands still and fires every timer at once: the backoff passes without waiting.</summary>
    private sealed class ImmediateTimers : TimeProvider
    {
        public List<TimeSpan> Delays { get; } = [];
        public override DateTimeOffset GetUtcNow() => Now;
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (Delays) Delays.Add(dueTime);
            return System.CreateTimer(callback, state, TimeSpan.Zero, period);
        }
    }

    /// <summary>UploadUpdate calls that fail with the given statuses, then succeed; records each call's bytes.</summary>
    private sealed class FlakyUploads(params StatusCode[] failures) : CallInvoker
    {
        public List<byte[]> Uploads { get; } = [];

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
        {
            var stream = new MemoryStream();
            int attempt = Uploads.Count;
            Uploads.Add([]);
            var done = new TaskCompletionSource<TResponse>();
            var writer = new Writer<TRequest>(stream, () =>
            {
                Uploads[attempt] = stream.ToArray();
                if (attempt < failures.Length) done.SetException(new RpcException(new Status(failures[attempt], "scripted")));
                else done.SetResult((TResponse)(object)new UploadUpdateResponse { Accepted = true });
            });
            return new AsyncClientStreamingCall<TRequest, TResponse>(writer, done.Task, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        }

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            new(Task.FromResult(Activator.CreateInstance<TResponse>()), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotSupportedException();
        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotSupportedException();
        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw new NotSupportedException();

        private sealed class Writer<T>(MemoryStream stream, Action completed) : IClientStreamWriter<T>
        {
            public WriteOptions? WriteOptions { get; set; }
            public Task WriteAsync(T message)
            {
                ((IMessage)message!).WriteDelimitedTo(stream);
                return Task.CompletedTask;
            }
            public Task CompleteAsync()
            {
                completed();
                return Task.CompletedTask;
            }
        }
    }

    private sealed class InitialOnly : INodeTrainer
    {
        public InitialModel Initialize(NodeTask task) => new(new ModelParameters([new NamedTensor("w", [3], [1f, 2f, 3f])]), 40);
        public FitResult Fit(FitRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
        public IReadOnlyList<RegionMetrics> Evaluate(NodeTask task, ModelParameters model, IReadOnlyList<string> splits) => throw new NotSupportedException();
        public StatisticsAnswer Statistics(NodeTask task) => throw new NotSupportedException();
    }

    private sealed class NoModels : IModelSource
    {
        public Task<ModelParameters> GetAsync(string jobId, string sha256, NodeSession session, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private static async Task<(FlakyUploads Calls, ImmediateTimers Time)> RunAsync(long deadlineFromNowMs, params StatusCode[] failures)
    {
        var (calls, time) = (new FlakyUploads(failures), new ImmediateTimers());
        var handler = new TrainerTaskHandler(new FederationCalls(calls), new NoModels(), new InitialOnly(), [], time, NullLogger<TrainerTaskHandler>.Instance);
        var task = new NodeTask { JobId = "j", Round = 0, DeadlineUnixMs = Now.ToUnixTimeMilliseconds() + deadlineFromNowMs, Initialize = new InitializeTask() };
        await handler.HandleAsync(task, Session, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        return (calls, time);
    }

    [Fact]
    public async Task A_cut_off_upload_is_sent_again_byte_for_byte_after_a_growing_backoff()
    {
        var (calls, time) = await RunAsync(60_000, StatusCode.Unavailable, StatusCode.Internal);

        Assert.Equal(3, calls.Uploads.Count);
        Assert.All(calls.Uploads, u => Assert.Equal(calls.Uploads[0], u));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], time.Delays);
    }

    [Fact]
    public async Task A_refused_update_is_not_sent_again()
    {
        var (calls, _) = await RunAsync(60_000, StatusCode.InvalidArgument);
        Assert.Single(calls.Uploads);
    }

    [Fact]
    public async Task No_retry_is_sent_that_could_only_arrive_after_the_rounds_deadline()
    {
        var (calls, _) = await RunAsync(500, StatusCode.Unavailable);
        Assert.Single(calls.Uploads);
    }

    [Fact]
    public async Task After_three_retries_the_agent_gives_up_on_the_upload()
    {
        var (calls, time) = await RunAsync(600_000, StatusCode.Unavailable, StatusCode.Unavailable, StatusCode.Unavailable, StatusCode.Unavailable);
        Assert.Equal(4, calls.Uploads.Count);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], time.Delays);
    }
}
