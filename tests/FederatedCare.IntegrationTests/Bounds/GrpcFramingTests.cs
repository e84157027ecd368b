using FederatedCare.Coordinator.Extensions;
using FederatedCare.Protos.V1;
using Google.Protobuf;
using Grpc.Core;

namespace FederatedCare.IntegrationTests.Bounds;

/// <summary>
/// Issue 14, item 4, the framing under the messages: hand-written HTTP/2 request bodies with a bad gRPC message header
/// (compressed flag 7, a length of 2³¹ or 2³²−1, flag 1 without an encoding) or that end inside a header or message
/// are refused with InvalidArgument and the reason, on unary, server-streaming and client-streaming methods alike,
/// and without an Error or Warning in the coordinator's log.
/// </summary>
public class GrpcFramingTests(GrpcFramingTests.Coordinator fixture) : IClassFixture<GrpcFramingTests.Coordinator>
{
    private const string Malformed = "Malformed gRPC framing: ";

    private static readonly string[] Methods =
    [
        $"/{Protos.V1.Federation.Descriptor.FullName}/Register",      // unary
        $"/{Protos.V1.Federation.Descriptor.FullName}/DownloadModel", // server streaming
        $"/{Protos.V1.Federation.Descriptor.FullName}/UploadUpdate",  // client streaming
        $"/{Research.Descriptor.FullName}/ListRounds",
        $"/{Operator.Descriptor.FullName}/ListNodes",
    ];

    // What is sent, its grpc-encoding header, and the reason the refusal must give.
    private static readonly (string What, byte[] Body, string? Encoding, string Reason)[] BadFraming =
    [
        ("compressed flag 7", RawGrpcCall.Frame(7, 0, []), null, "message 1 has compressed flag 7; only 0 (uncompressed) and 1 (compressed) exist."),
        ("length 2^31", RawGrpcCall.Frame(0, 1u << 31, [1, 2]), null, "message 1 claims 2147483648 bytes, more than a gRPC message can hold (2147483647)."),
        ("length 2^32-1", RawGrpcCall.Frame(0, uint.MaxValue, []), null, "message 1 claims 4294967295 bytes, more than a gRPC message can hold (2147483647)."),
        ("flag 1 without grpc-encoding", RawGrpcCall.Frame(1, 2, [0, 0]), null, "message 1 is marked compressed (flag 1) but the request has no grpc-encoding header."),
        ("flag 1 with grpc-encoding identity", RawGrpcCall.Frame(1, 2, [0, 0]), "identity", "message 1 is marked compressed (flag 1) but the request's grpc-encoding is 'identity'."),
        ("3 bytes of a 100-byte message", RawGrpcCall.Frame(0, 100, [1, 2, 3]), null, "the request ended 3 bytes into the 100-byte message 1."),
        ("a 4-byte partial header", [0, 0, 0, 0], null, "the request ended 4 bytes into the 5-byte header of message 1."),
    ];

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var method in Methods)
            for (int i = 0; i < BadFraming.Length; i++) data.Add(method, i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_framing_is_refused_with_InvalidArgument_and_the_reason(string method, int bad)
    {
        var (what, body, encoding, reason) = BadFraming[bad];
        using var raw = new RawGrpcCall(fixture.Running.Address);

        var (status, message) = await raw.SendAsync(method, body, encoding);

        Assert.True((StatusCode.InvalidArgument, Malformed + reason) == (status, message), $"{method}, {what}: {status} '{message}'");
    }

    [Fact]
    public async Task A_unary_request_must_be_exactly_one_message()
    {
        using var raw = new RawGrpcCall(fixture.Running.Address);
        string register = $"/{Protos.V1.Federation.Descriptor.FullName}/Register";

        Assert.Equal((StatusCode.InvalidArgument, Malformed + "the method takes one request message, but a second one follows it."),
            await raw.SendAsync(register, [.. RawGrpcCall.Frame(0, 0, []), .. RawGrpcCall.Frame(0, 0, [])]));
        Assert.Equal((StatusCode.InvalidArgument, Malformed + "the method takes one request message, but a second one follows it."),
            await raw.SendAsync(register, [.. RawGrpcCall.Frame(0, 0, []), 0, 0]));
        Assert.Equal((StatusCode.InvalidArgument, Malformed + "the request ended without a message; the method takes one."),
            await raw.SendAsync(register, []));
    }

    [Fact]
    public async Task A_length_over_the_receive_limit_stays_ResourceExhausted_even_when_the_body_ends_inside_it()
    {
        using var raw = new RawGrpcCall(fixture.Running.Address);

        var (status, message) = await raw.SendAsync($"/{Protos.V1.Federation.Descriptor.FullName}/Register",
            RawGrpcCall.Frame(0, 5 * 1024 * 1024, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));

        Assert.Equal((StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size."), (status, message));
    }

    [Fact]
    public async Task A_well_framed_request_through_the_same_path_succeeds()
    {
        using var raw = new RawGrpcCall(fixture.Running.Address);
        var request = new RegisterRequest { Region = "Halland", AgentVersion = "1.0", Device = "cpu", Datasets = { "heart" } }.ToByteArray();

        var (status, message) = await raw.SendAsync($"/{Protos.V1.Federation.Descriptor.FullName}/Register",
            RawGrpcCall.Frame(0, (uint)request.Length, request));

        Assert.Equal((StatusCode.OK, ""), (status, message));
    }

    [Fact]
    public async Task Two_hundred_bad_frames_log_no_warning_or_error()
    {
        using var raw = new RawGrpcCall(fixture.Running.Address);
        int before = fixture.Log.Text.Length;

        for (int i = 0; i < 200; i++)
        {
            var (_, body, encoding, _) = BadFraming[i % BadFraming.Length];
            var (status, _) = await raw.SendAsync(Methods[i % Methods.Length], body, encoding);
            Assert.Equal(StatusCode.InvalidArgument, status);
        }

        var logged = fixture.Log.Text[before..].Split('\n');
        Assert.DoesNotContain(logged, l => l.StartsWith("[WRN]", StringComparison.Ordinal) || l.StartsWith("[ERR]", StringComparison.Ordinal)
                                           || l.StartsWith("[FTL]", StringComparison.Ordinal));
        Assert.DoesNotContain(logged, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal)); // no stack trace
        // Still serving.
        Assert.NotNull(await new Operator.OperatorClient(fixture.Channel).ListNodesAsync(new ListNodesRequest()));
    }

    /// <summary>One coordinator for the class, its log captured.</summary>
    public sealed class Coordinator : IAsyncLifetime
    {
        /// <summary>The coordinator's log.</summary>
        internal CapturedLog Log { get; } = new();

        /// <summary>The running coordinator.</summary>
        public RunningCoordinator Running { get; private set; } = null!;

        /// <summary>A channel to it.</summary>
        public Grpc.Net.Client.GrpcChannel Channel { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Running = await CoordinatorHost.StartAsync([$"--Coordinator:DataDirectory={RepositoryPaths.TempDirectory()}"], Log.Attach);
            Channel = Running.CreateChannel();
        }

        public async Task DisposeAsync()
        {
            Channel.Dispose();
            await Running.DisposeAsync();
        }
    }
}
