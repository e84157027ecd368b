using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Aggregation;

/// <summary>
/// Where a fit round's uploads are decoded. While the bytes held and being decoded stay within
/// <see cref="AggregationOptions.BufferedBytesBudget"/> (reserved before anything is allocated), into fresh arrays that
/// an accepted update keeps; past it the round streams for good, and a wire upload is decoded into a buffer leased
/// from the round's <see cref="UploadBufferPool"/> (bounded by <see cref="AggregationOptions.UploadBufferBytes"/>),
/// folded, then given back. An upload waits for a buffer at most <see cref="AggregationOptions.UploadBufferWaitSeconds"/>,
/// then is refused (<see cref="UploadBuffersExhaustedException"/>). Rounds that cannot stream keep every update whole.
/// </summary>
internal sealed class DecodeBuffers : IDisposable
{
    private readonly bool _canStream;
    private readonly long _budget;
    private readonly UploadBufferPool? _pool;
    private readonly TimeSpan _bufferWait;
    private long _reservedBytes;
    private int _streaming;

    /// <param name="layout">The update layout; null (initial-model round) never streams.</param>
    /// <param name="canStream">Whether the round may fold updates on arrival (a mean strategy, nothing kept whole).</param>
    /// <param name="options">The budget and the upload-buffer bound.</param>
    public DecodeBuffers(IReadOnlyList<TensorSpec>? layout, bool canStream, AggregationOptions options)
    {
        _canStream = canStream && layout is not null;
        _budget = options.BufferedBytesBudget;
        _bufferWait = TimeSpan.FromSeconds(options.UploadBufferWaitSeconds);
        if (_canStream) _pool = new UploadBufferPool(layout!.Select(t => t.Shape.Aggregate(1L, (a, d) => a * d)).ToList(), options.UploadBufferBytes);
    }

    /// <summary>Whether the round folds updates on arrival (it switched past the budget, or started so).</summary>
    public bool IsStreaming => Volatile.Read(ref _streaming) == 1;

    /// <summary>
    /// Bytes held now for this round's updates: reserved within the budget (updates kept, and being decoded) plus the
    /// upload buffers leased. Bounded by <see cref="AggregationOptions.BufferedBytesBudget"/> plus
    /// <see cref="AggregationOptions.UploadBufferBytes"/> (or one buffer, when an update is larger).
    /// </summary>
    public long BytesHeld => Volatile.Read(ref _reservedBytes) + (_pool?.LeasedBytes ?? 0);

    /// <summary>The arrays for one update.</summary>
    /// <param name="bytes">The update's size in float32 bytes (reserved against the budget before anything is allocated).</param>
    /// <param name="allocate">Fresh arrays (wire) or the caller's own (in process).</param>
    /// <param name="pooled">Whether a streaming round decodes it into a leased buffer (wire) or folds the caller's arrays.</param>
    /// <exception cref="UploadBuffersExhaustedException">Streaming, and every buffer the bound allows is leased (no wait).</exception>
    public DecodeLease Lease(long bytes, Func<float[][]> allocate, bool pooled) =>
        Begin(bytes, allocate, pooled) ?? Leased(_pool!.TryRent());

    /// <summary>As <see cref="Lease"/>, but a wire upload of a streaming round waits for a buffer at most
    /// <see cref="AggregationOptions.UploadBufferWaitSeconds"/>.</summary>
    /// <exception cref="UploadBuffersExhaustedException">No buffer was given back in time.</exception>
    /// <exception cref="OperationCanceledException">The upload ended while it waited.</exception>
    public async ValueTask<DecodeLease> LeaseAsync(long bytes, Func<float[][]> allocate, CancellationToken ct) =>
        Begin(bytes, allocate, pooled: true) ?? Leased(await _pool!.RentAsync(_bufferWait, ct).ConfigureAwait(false));

    // The lease when no upload buffer is needed (kept within the budget, a round that cannot stream, or the caller's
    // own arrays); null when a streaming round decodes a wire upload into a leased buffer.
    private DecodeLease? Begin(long bytes, Func<float[][]> allocate, bool pooled)
    {
        if (!_canStream) return new DecodeLease(this, allocate(), null, 0, Keep: true);
        if (!IsStreaming)
        {
            if (Interlocked.Add(ref _reservedBytes, bytes) <= _budget)
                return new DecodeLease(this, allocate(), null, bytes, Keep: true);
            Interlocked.Add(ref _reservedBytes, -bytes);
            Volatile.Write(ref _streaming, 1);
        }
        return pooled ? null : new DecodeLease(this, allocate(), null, 0, Keep: false);
    }

    private DecodeLease Leased(UploadBuffer? buffer) => buffer is null
        ? throw new UploadBuffersExhaustedException(
            $"Every upload buffer of this round is in use ({_pool!.LeasedBytes} of {_pool.MaxBytes} bytes, " +
            "Coordinator:Aggregation:UploadBufferBytes, waited Coordinator:Aggregation:UploadBufferWaitSeconds); send the update again shortly.")
        : new DecodeLease(this, buffer.Arrays, buffer, 0, Keep: false);

    /// <summary>Drops the free upload buffers; buffers still leased are dropped when given back.</summary>
    public void Dispose() => _pool?.Dispose();

    internal void Release(long reservedBytes) => Interlocked.Add(ref _reservedBytes, -reservedBytes);
}

/// <summary>
/// The arrays one update is decoded into: fresh ones counted against the budget (kept when accepted), or a leased
/// upload buffer (folded, then given back). Dispose when the update is kept, folded or dropped.
/// </summary>
internal sealed record DecodeLease(DecodeBuffers Owner, float[][] Values, UploadBuffer? Buffer, long ReservedBytes, bool Keep) : IDisposable
{
    /// <summary>Set when an accepted update keeps the arrays: their bytes stay reserved.</summary>
    public bool Kept { get; set; }

    public void Dispose()
    {
        Buffer?.Dispose();
        if (!Kept && ReservedBytes > 0) Owner.Release(ReservedBytes);
    }
}

/// <summary>A streaming round has no upload buffer free within its bound: the upload is refused at once, nothing of it kept.</summary>
internal sealed class UploadBuffersExhaustedException(string message) : Exception(message);
