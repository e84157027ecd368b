using System.Collections.Concurrent;
using FederatedCare.Coordinator.Extensions;
using FederatedCare.Protos.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Xunit.Abstractions;

namespace FederatedCare.IntegrationTests.Bounds;

/// <summary>
/// Issue 14, item 4: every client-facing call of a real coordinator over loopback gets 10 000 seeded random and
/// mutated messages as raw bytes (a byte[] marshaller, so nothing on the client side parses or fixes them). A message
/// the protobuf library cannot parse must be refused with InvalidArgument naming it malformed; one that parses may
/// get any precise status (NotFound, FailedPrecondition, Unauthenticated, AlreadyExists…) or even succeed, but never
/// Unknown or Internal, and the coordinator must keep answering.
/// </summary>
public class MalformedMessageFuzzTests(MalformedMessageFuzzTests.Coordinator fixture, ITestOutputHelper output)
    : IClassFixture<MalformedMessageFuzzTests.Coordinator>
{
    private const int MessagesPerCall = 10_000;
    private const int InFlight = 16;

    // Request streams go one at a time: many request streams that the coordinator refuses before their end trip
    // Kestrel's HTTP/2 flood guard (the connection is reset with ENHANCE_YOUR_CALM, more often the more streams are in
    // flight and the busier the machine), which has nothing to do with message parsing. A call on a connection reset
    // that way never reached the coordinator (NeverSent) and is sent again. An agent uploads one update at a time.
    private const int StreamsInFlight = 1;

    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);

    private static readonly StatusCode[] Precise =
    [
        StatusCode.OK, StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.FailedPrecondition, StatusCode.Unauthenticated,
        StatusCode.PermissionDenied, StatusCode.AlreadyExists, StatusCode.ResourceExhausted, StatusCode.DeadlineExceeded,
    ];

    public static TheoryData<string, string> Calls()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in new[] { FederationReflection.Descriptor, OperatorReflection.Descriptor, ResearchReflection.Descriptor })
            foreach (var service in file.Services)
                foreach (var method in service.Methods)
                    data.Add(service.Name, method.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Every_malformed_message_is_refused_with_InvalidArgument_and_none_with_Unknown(string serviceName, string methodName)
    {
        var method = new[] { FederationReflection.Descriptor, OperatorReflection.Descriptor, ResearchReflection.Descriptor }
            .SelectMany(f => f.Services).Single(s => s.Name == serviceName).FindMethodByName(methodName);
        var channel = fixture.Channel;
        var federation = new Protos.V1.Federation.FederationClient(channel);
        var registered = await federation.RegisterAsync(new RegisterRequest { Region = "Halland", AgentVersion = "fuzz", Device = "cpu", Datasets = { "heart" } });
        // The calls after Register carry a real node id, so that parsed messages reach the checks behind it; WaitForTask
        // carries none, or a parsed request would hold a real task stream open.
        var headers = serviceName == "Federation" && methodName is not ("Register" or "WaitForTask")
            ? new Metadata { { WireNames.Headers.NodeId, registered.NodeId } } : new Metadata();
        var invoker = channel.CreateCallInvoker();
        var valid = Seed(method.InputType.Name).ToByteArray();
        var fuzz = new ProtobufFuzz(seed: 14_000 + methodName.Sum(c => c)); // string.GetHashCode differs between runs
        var messages = Enumerable.Range(0, MessagesPerCall)
            .Select(i => Enumerable.Range(0, method.IsClientStreaming ? 1 + i % 3 : 1).Select(_ => fuzz.Next(valid)).ToArray()).ToList();

        var statuses = new ConcurrentDictionary<StatusCode, int>();
        var wrong = new ConcurrentQueue<string>();
        int resent = 0;
        await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = method.IsClientStreaming ? StreamsInFlight : InFlight }, async (stream, ct) =>
        {
            var status = await CallAsync(invoker, method, headers, stream);
            // A connection the flood guard reset never delivered the message: send it again, on a new connection.
            for (int retry = 0; retry < 3 && NeverSent(status); retry++)
            {
                Interlocked.Increment(ref resent);
                status = await CallAsync(invoker, method, headers, stream);
            }
            statuses.AddOrUpdate(status.StatusCode, 1, (_, n) => n + 1);
            // The first message decides: a request stream is refused at its first problem, which may be the job its
            // (parsed) header names rather than a malformed chunk behind it.
            bool parses = ProtobufFuzz.Parses(method.InputType.Parser, stream[0]);
            bool right = parses ? Precise.Contains(status.StatusCode)
                : status.StatusCode == StatusCode.InvalidArgument && status.Detail.StartsWith("Malformed ", StringComparison.Ordinal);
            if (!right) wrong.Enqueue($"{status.StatusCode} '{status.Detail}' for {(parses ? "a parsed" : "an unparseable")} message {Convert.ToHexString(stream[0])}");
        });

        output.WriteLine($"{serviceName}.{methodName}: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value}"))}" +
            $"; {resent} sent again after a connection reset");
        Assert.Empty(wrong.Take(5));
        Assert.DoesNotContain(StatusCode.Unknown, statuses.Keys);
        Assert.True(statuses.GetValueOrDefault(StatusCode.InvalidArgument) > 0, "the fuzz must produce malformed messages");
        // Still serving: a well-formed call after the fuzz is answered as before.
        Assert.NotNull(await federation.HeartbeatAsync(new HeartbeatRequest { NodeId = registered.NodeId }));
    }

    /// <summary>One coordinator for every call's fuzz (each call registers its own node first).</summary>
    public sealed class Coordinator : IAsyncLifetime
    {
        private RunningCoordinator? _coordinator;

        /// <summary>A channel to it.</summary>
        public Grpc.Net.Client.GrpcChannel Channel { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _coordinator = await CoordinatorHost.StartAsync([$"--Coordinator:DataDirectory={RepositoryPaths.TempDirectory()}"]);
            Channel = _coordinator.CreateChannel();
        }

        public async Task DisposeAsync()
        {
            Channel.Dispose();
            if (_coordinator is not null) await _coordinator.DisposeAsync();
        }
    }

    // The client's own status for a call that could not start because its connection was reset.
    private static bool NeverSent(Status status) =>
        status.StatusCode is StatusCode.ResourceExhausted or StatusCode.Unavailable
        && status.Detail.StartsWith("Error starting gRPC call", StringComparison.Ordinal);

    private static async Task<Status> CallAsync(CallInvoker invoker, MethodDescriptor descriptor, Metadata headers, byte[][] messages)
    {
        var type = descriptor.IsClientStreaming
            ? descriptor.IsServerStreaming ? MethodType.DuplexStreaming : MethodType.ClientStreaming
            : descriptor.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary;
        var method = new Method<byte[], byte[]>(type, descriptor.Service.FullName, descriptor.Name, Raw, Raw);
        // A parsed request may open a stream that lasts (a job's events): the deadline ends it, as a precise status.
        var options = new CallOptions(headers, DateTime.UtcNow.AddSeconds(20));
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                    await invoker.AsyncUnaryCall(method, null, options, messages[0]);
                    break;
                case MethodType.ServerStreaming:
                    using (var call = invoker.AsyncServerStreamingCall(method, null, options, messages[0]))
                        await foreach (var _ in call.ResponseStream.ReadAllAsync()) { }
                    break;
                default:
                    using (var call = invoker.AsyncClientStreamingCall(method, null, options))
                    {
                        try
                        {
                            foreach (var m in messages) await call.RequestStream.WriteAsync(m);
                            await call.RequestStream.CompleteAsync();
                        }
                        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
                        {
                            // The coordinator refused before reading everything: its status is the call's.
                        }
                        await call.ResponseAsync;
                    }
                    break;
            }
            return Status.DefaultSuccess;
        }
        catch (RpcException e)
        {
            return e.Status;
        }
    }

    // A valid request of each type, the start of the mutations. StartJob's spec is refused (no rounds), so that mutants
    // rarely start a job.
    private static IMessage Seed(string type) => type switch
    {
        nameof(RegisterRequest) => new RegisterRequest { Region = "Karolinska", AgentVersion = "1.0", Device = "cpu", Datasets = { "heart-disease" } },
        nameof(WaitForTaskRequest) => new WaitForTaskRequest { NodeId = Guid.NewGuid().ToString() },
        nameof(HeartbeatRequest) => new HeartbeatRequest { NodeId = Guid.NewGuid().ToString() },
        nameof(DownloadModelRequest) => new DownloadModelRequest { JobId = "job-1", ModelSha256 = new string('a', 64) },
        nameof(UpdateChunk) => new UpdateChunk
        {
            Header = new UpdateHeader { JobId = "job-1", Round = 1, BaseModelSha256 = new string('b', 64), Kind = UpdateKind.Delta, NumExamples = 100, Metrics = { ["train_loss"] = 0.5 } },
        },
        nameof(ReportMetricsRequest) => new ReportMetricsRequest
        {
            JobId = "job-1", Round = 1, Metrics = { new RegionMetrics { Split = "test", NumExamples = 50, Loss = 0.4, Accuracy = 0.8, Extra = { ["auc"] = 0.7 } } },
        },
        nameof(ReportStatisticsRequest) => new ReportStatisticsRequest
        {
            JobId = "job-1", Statistics = new LocalStatistics { TrainRows = 100, Columns = { new ColumnMoments { Name = "age", Count = 100, Sum = 5000, SumOfSquares = 260000 } } },
        },
        nameof(ReportAnalysisRequest) => new ReportAnalysisRequest { JobId = "job-1", Round = 1, Refusal = "only 3 events" },
        nameof(StartJobRequest) => new StartJobRequest { JobId = "fuzz-job", Spec = new JobSpec { Name = "fuzz", Dataset = "heart-disease", Rounds = 0 } },
        nameof(AbortJobRequest) => new AbortJobRequest { JobId = "job-1", Reason = "fuzz" },
        nameof(GetMetricsRequest) => new GetMetricsRequest { JobId = "job-1", Round = 2 },
        nameof(DownloadGlobalModelRequest) => new DownloadGlobalModelRequest { JobId = "job-1", Round = -1 },
        nameof(GetJobRequest) or nameof(ListRoundsRequest) or nameof(GetCrossSiteMatrixRequest) or nameof(GetAnalysisResultsRequest)
            => new GetJobRequest { JobId = "job-1" }, // all four are { string job_id = 1; }
        _ => new ListNodesRequest(), // the empty requests
    };
}
