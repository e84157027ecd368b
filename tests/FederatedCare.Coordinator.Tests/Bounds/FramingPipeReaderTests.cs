using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using FederatedCare.Coordinator.Framing;
using Grpc.Core;

namespace FederatedCare.Coordinator.Tests.Bounds;

/// <summary>
/// The framing check on its own, with bodies that arrive a byte at a time into 16-byte pipe segments, so message
/// headers are split across reads and segments, and a consumer that reads like grpc-dotnet (a whole message at a time,
/// leaving a partial one examined but unconsumed).
/// </summary>
public class FramingPipeReaderTests
{
    [Fact]
    public async Task Well_framed_messages_pass_unchanged_whatever_the_reads_and_segments()
    {
        byte[] body = [.. Frame(0, Payload(0)), .. Frame(1, Payload(37)), .. Frame(0, Payload(3)), .. Frame(0, Payload(100))];

        var messages = await ReadAllAsync(body, encoding: "gzip", singleMessage: false);

        Assert.Equal(new[] { 0, 37, 3, 100 }, messages.Select(m => m.Length));
        Assert.Equal(body, messages.SelectMany(m => Frame(m.Flag, m)).ToArray());
    }

    [Theory]
    [InlineData(9, "message 3 has compressed flag 9; only 0 (uncompressed) and 1 (compressed) exist.")]
    [InlineData(1, "message 3 is marked compressed (flag 1) but the request has no grpc-encoding header.")]
    public async Task A_bad_flag_in_a_later_header_split_across_segments_is_refused(byte flag, string reason)
    {
        byte[] body = [.. Frame(0, Payload(20)), .. Frame(0, Payload(11)), .. Frame(flag, Payload(5))];

        var e = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(body, encoding: null, singleMessage: false));

        Assert.Equal((StatusCode.InvalidArgument, "Malformed gRPC framing: " + reason), (e.StatusCode, e.Status.Detail));
    }

    [Fact]
    public async Task A_length_of_2_to_the_31_is_refused_before_the_consumer_sees_it()
    {
        byte[] body = [.. Frame(0, Payload(20)), 0, 0x80, 0, 0, 0, 1, 2];

        var e = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(body, encoding: null, singleMessage: false));

        Assert.Equal("Malformed gRPC framing: message 2 claims 2147483648 bytes, more than a gRPC message can hold (2147483647).", e.Status.Detail);
    }

    [Theory]
    [InlineData(2, "the request ended 2 bytes into the 10-byte message 2.")]
    [InlineData(-3, "the request ended 2 bytes into the 5-byte header of message 2.")]
    public async Task A_body_that_ends_inside_the_second_message_is_refused_with_how_far_it_came(int sent, string reason)
    {
        byte[] second = Frame(0, Payload(10));
        byte[] body = [.. Frame(0, Payload(4)), .. second.AsSpan(0, 5 + sent)];

        var e = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(body, encoding: null, singleMessage: false));

        Assert.Equal((StatusCode.InvalidArgument, "Malformed gRPC framing: " + reason), (e.StatusCode, e.Status.Detail));
    }

    [Fact]
    public async Task A_body_ending_inside_a_message_over_the_limit_is_left_to_grpc()
    {
        byte[] body = [.. Frame(0, Payload(4)), 0, 0, 0, 1, 0, 1, 2]; // a 256-byte message, limit 100

        // The consumer (grpc-dotnet) sees the header and answers ResourceExhausted itself.
        var e = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(body, encoding: null, singleMessage: false, maxMessageBytes: 100));

        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
    }

    [Fact]
    public async Task A_single_message_request_refuses_a_second_message_and_a_later_read_gets_the_same_refusal()
    {
        var pipe = new Pipe();
        byte[] body = [.. Frame(0, Payload(3)), .. Frame(0, Payload(0))];
        await pipe.Writer.WriteAsync(body);
        await pipe.Writer.CompleteAsync();
        var reader = new FramingPipeReader(pipe.Reader, null, singleMessage: true, maxMessageBytes: null);

        var first = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadAsync());
        var again = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadAsync());

        Assert.Equal("Malformed gRPC framing: the method takes one request message, but a second one follows it.", first.Status.Detail);
        Assert.Same(first, again);
    }

    // The payload bytes carry their index, so a mix-up shows.
    private static Message Payload(int length) => new(0, Enumerable.Range(0, length).Select(i => (byte)(i * 7 + length)).ToArray());

    private static byte[] Frame(byte flag, Message message)
    {
        var frame = new byte[5 + message.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.Bytes.CopyTo(frame, 5);
        return frame;
    }

    // Writes the body a byte at a time into small segments while a grpc-dotnet-like consumer reads it through the check
    // (refusing a length over maxMessageBytes as grpc-dotnet does).
    private static async Task<List<Message>> ReadAllAsync(byte[] body, string? encoding, bool singleMessage, int? maxMessageBytes = null)
    {
        var pipe = new Pipe(new PipeOptions(minimumSegmentSize: 16, useSynchronizationContext: false));
        var writing = Task.Run(async () =>
        {
            foreach (byte b in body) await pipe.Writer.WriteAsync(new[] { b });
            await pipe.Writer.CompleteAsync();
        });
        var reader = new FramingPipeReader(pipe.Reader, encoding, singleMessage, maxMessageBytes);
        var messages = new List<Message>();
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                if (buffer.Length >= 5)
                {
                    var header = buffer.Slice(0, 5).ToArray();
                    int length = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
                    if (maxMessageBytes is { } max && length > max)
                        throw new RpcException(new Status(StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size."));
                    if (buffer.Length >= 5 + length)
                    {
                        messages.Add(new Message(header[0], buffer.Slice(5, length).ToArray()));
                        reader.AdvanceTo(buffer.GetPosition(5 + length));
                        continue;
                    }
                }
                if (result.IsCompleted)
                {
                    Assert.True(buffer.IsEmpty, "the check let a body that ends inside a message through");
                    return messages;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync();
            await writing.ContinueWith(_ => { }, TaskScheduler.Default); // the writer may end early against a completed reader
        }
    }

    private sealed record Message(byte Flag, byte[] Bytes)
    {
        public int Length => Bytes.Length;
    }
}
