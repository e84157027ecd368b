using FederatedCare.Protos.V1;
using Google.Protobuf;
using Grpc.Core;

namespace FederatedCare.Coordinator.Tests.Bounds;

/// <summary>
/// Issue 14: malformed protobuf inside an upload's stream (after a header the open round accepts) ended the call
/// with "Unknown: Exception was thrown by handler". Now it is InvalidArgument with the parser's reason, the round goes
/// on, and the same node's proper upload is accepted after it.
/// </summary>
public class MalformedUploadStreamTests
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);

    public static TheoryData<string, byte[]> MalformedChunks() => new()
    {
        // Field 2 (ModelChunk) claiming 2³¹ bytes.
        { "a field claiming 2^31 bytes", [0x12, 0x80, 0x80, 0x80, 0x80, 0x08, 0x01, 0x02] },
        // Field 3 of wire type 7, which does not exist.
        { "wire type 7", [0x1F, 0x00] },
        // A ModelChunk cut in the middle of its length-delimited payload.
        { "a truncated message", new UpdateChunk { Model = new ModelChunk { Data = ByteString.CopyFrom(new byte[100]) } }.ToByteArray()[..50] },
    };

    [Theory]
    [MemberData(nameof(MalformedChunks))]
    public async Task A_malformed_chunk_after_an_accepted_header_is_InvalidArgument_and_the_round_goes_on(string what, byte[] chunk)
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        await using var node = await FakeNode.ConnectAsync(coordinator.Channel, "Halland");
        var spec = JobSpecValidationTests.ValidSpec();
        spec.Rounds = 1;
        spec.MinFitClients = 1;
        spec.MinAvailableClients = 1;
        const string job = "malformed-upload";
        await new Operator.OperatorClient(coordinator.Channel).StartJobAsync(new StartJobRequest { Spec = spec, JobId = job });
        await node.NextTaskAsync(NodeTask.KindOneofCase.Initialize);
        var header = new UpdateHeader { JobId = job, Round = 0, Kind = UpdateKind.InitialModel, NumExamples = 1 };

        var method = new Method<byte[], byte[]>(MethodType.ClientStreaming, "federatedcare.v1.Federation", "UploadUpdate", Raw, Raw);
        using var call = coordinator.Channel.CreateCallInvoker().AsyncClientStreamingCall(method, null, new CallOptions(node.Headers));
        try
        {
            await call.RequestStream.WriteAsync(new UpdateChunk { Header = header }.ToByteArray());
            await call.RequestStream.WriteAsync(chunk);
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
            // Refused before the stream was complete: the status is the call's.
        }
        var refused = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.StartsWith("Malformed UpdateChunk: ", refused.Status.Detail, StringComparison.Ordinal);
        var accepted = await node.UploadAsync(header, TestModels.Random(2000, seed: 1));
        Assert.True(accepted.Accepted, what);
    }
}
