using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Grpc.Core;

namespace FederatedCare.Coordinator.Framing;

/// <summary>
/// A gRPC request body that checks the 5-byte message headers (compressed flag, big-endian uint32 length) as the data
/// passes, before grpc-dotnet parses them, and refuses bad framing with <c>InvalidArgument</c> and a readable reason.
/// grpc-dotnet itself reports a compressed flag other than 0/1 or a length of 2³¹ and more as <c>Unknown</c> (with an
/// Error-level stack trace in the log), and a body that ends inside a message, a compressed message without a
/// <c>grpc-encoding</c> (or with <c>identity</c>), or a unary request with no message or a second one as <c>Internal</c>. Only the headers are read (a
/// 5-byte copy each); the payload is passed on as it is. What grpc-dotnet already answers precisely is left to it: a
/// length above <c>MaxReceiveMessageSize</c> stays <c>ResourceExhausted</c> (also when the body ends inside such a
/// message), an encoding the server does not know stays <c>Unimplemented</c> (the gRPC compression spec's status).
/// </summary>
/// <param name="inner">The request's own body reader.</param>
/// <param name="encoding">The request's <c>grpc-encoding</c> header; null when absent.</param>
/// <param name="singleMessage">True for unary and server-streaming methods, whose request is exactly one message.</param>
/// <param name="maxMessageBytes">grpc-dotnet's <c>MaxReceiveMessageSize</c>; null for no limit.</param>
internal sealed class FramingPipeReader(PipeReader inner, string? encoding, bool singleMessage, int? maxMessageBytes) : PipeReader
{
    private const int HeaderBytes = 5;

    private ReadOnlySequence<byte> _buffer; // the last buffer handed out
    private long _start;                    // body offset of _buffer's first byte
    private long _next;                     // body offset of the next message header
    private uint _length;                   // length of the last message whose header was read
    private long _messages;                 // headers read so far
    private RpcException? _refused;         // set once the framing was refused

    /// <inheritdoc/>
    /// <exception cref="RpcException">InvalidArgument: the framing read so far is malformed.</exception>
    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_refused is not null) return ValueTask.FromException<ReadResult>(_refused);
        var pending = inner.ReadAsync(cancellationToken);
        if (!pending.IsCompletedSuccessfully) return Checked(pending);
        var result = pending.Result;
        Check(result);
        return new ValueTask<ReadResult>(result);
    }

    /// <inheritdoc/>
    /// <exception cref="RpcException">InvalidArgument: the framing read so far is malformed.</exception>
    public override bool TryRead(out ReadResult result)
    {
        if (_refused is not null) throw _refused;
        if (!inner.TryRead(out result)) return false;
        Check(result);
        return true;
    }

    /// <inheritdoc/>
    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    /// <inheritdoc/>
    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        _start += _buffer.Slice(0, consumed).Length;
        _buffer = default;
        inner.AdvanceTo(consumed, examined);
    }

    /// <inheritdoc/>
    public override void CancelPendingRead() => inner.CancelPendingRead();

    /// <inheritdoc/>
    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    private async ValueTask<ReadResult> Checked(ValueTask<ReadResult> pending)
    {
        var result = await pending.ConfigureAwait(false);
        Check(result);
        return result;
    }

    // Reads every header that the buffer holds in full and was not read before; at the body's end, checks that it
    // ended where a message did.
    private void Check(ReadResult result)
    {
        _buffer = result.Buffer;
        long end = _start + _buffer.Length;
        Span<byte> header = stackalloc byte[HeaderBytes];
        while (_next + HeaderBytes <= end)
        {
            if (singleMessage && _messages == 1)
                throw Refuse(result, "the method takes one request message, but a second one follows it");
            _buffer.Slice(_next - _start, HeaderBytes).CopyTo(header);
            _messages++;
            byte flag = header[0];
            _length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
            if (flag > 1)
                throw Refuse(result, $"message {_messages} has compressed flag {flag}; only 0 (uncompressed) and 1 (compressed) exist");
            if (_length > int.MaxValue)
                throw Refuse(result, $"message {_messages} claims {_length} bytes, more than a gRPC message can hold ({int.MaxValue})");
            if (flag == 1 && encoding is null)
                throw Refuse(result, $"message {_messages} is marked compressed (flag 1) but the request has no grpc-encoding header");
            if (flag == 1 && encoding == "identity")
                throw Refuse(result, $"message {_messages} is marked compressed (flag 1) but the request's grpc-encoding is 'identity'");
            _next += HeaderBytes + _length;
        }
        if (!result.IsCompleted) return;
        if (end == _next)
        {
            if (singleMessage && _messages == 0) throw Refuse(result, "the request ended without a message; the method takes one");
            return;
        }
        if (singleMessage && _messages == 1 && end > _next)
            throw Refuse(result, "the method takes one request message, but a second one follows it");
        if (end > _next)
            throw Refuse(result, $"the request ended {end - _next} bytes into the {HeaderBytes}-byte header of message {_messages + 1}");
        // A message over the size limit is grpc-dotnet's to refuse (ResourceExhausted), however much of it came.
        if (maxMessageBytes is { } max && _length > max) return;
        long into = end - (_next - _length);
        throw Refuse(result, $"the request ended {into} bytes into the {_length}-byte message {_messages}");
    }

    // Consumes the buffer and builds the refusal, which every later read gets too.
    private RpcException Refuse(ReadResult result, string reason)
    {
        _buffer = default;
        inner.AdvanceTo(result.Buffer.End);
        return _refused = new RpcException(new Status(StatusCode.InvalidArgument, $"Malformed gRPC framing: {reason}."));
    }
}
