using System.Collections.Concurrent;

namespace FederatedCare.Federation.Core.Aggregation;

/// <summary>
/// The upload buffers of a streaming round, all of one update size (one float32 array per layout tensor), leased while
/// their bytes stay within a bound: as many buffers as fit in it, at least one whatever its size. An upload that finds
/// none waits at most a given time (<see cref="RentAsync"/>), then is refused, so an upload held open holds its own
/// buffer and delays the others at most that long. Buffers are allocated on first use and reused; the pool keeps at
/// most as many as were leased at once.
/// </summary>
/// <param name="counts">Elements of each tensor of the update layout.</param>
/// <param name="maxBytes">Bytes that may be leased at once (float32, whole buffers).</param>
public sealed class UploadBufferPool(IReadOnlyList<long> counts, long maxBytes) : IDisposable
{
    private readonly ConcurrentBag<float[][]> _free = [];
    private readonly long _bufferBytes = counts.Sum() * sizeof(float);
    private readonly SemaphoreSlim _slots = new(Slots(counts.Sum() * sizeof(float), maxBytes));
    private int _leased;
    private bool _disposed;

    /// <summary>Bytes of one buffer (float32, all tensors of the update layout).</summary>
    public long BufferBytes => _bufferBytes;

    /// <summary>Bytes that may be leased at once (one buffer is granted whenever none is leased).</summary>
    public long MaxBytes => maxBytes;

    /// <summary>Bytes leased now: the memory held by the uploads decoded into this pool's buffers.</summary>
    public long LeasedBytes => Volatile.Read(ref _leased) * _bufferBytes;

    /// <summary>A free buffer, or null at once when leasing one more would exceed the bound.</summary>
    public UploadBuffer? TryRent() => _slots.Wait(0) ? Lease() : null;

    /// <summary>A free buffer, waiting at most <paramref name="wait"/> for one; null when none was given back in time.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled while waiting.</exception>
    public async ValueTask<UploadBuffer?> RentAsync(TimeSpan wait, CancellationToken ct) =>
        await _slots.WaitAsync(wait, ct).ConfigureAwait(false) ? Lease() : null;

    private UploadBuffer Lease()
    {
        Interlocked.Increment(ref _leased);
        var arrays = _free.TryTake(out var free) ? free : counts.Select(c => new float[c]).ToArray();
        return new UploadBuffer(arrays, Return);
    }

    private static int Slots(long bufferBytes, long maxBytes) =>
        bufferBytes <= 0 ? int.MaxValue : (int)Math.Clamp(maxBytes / bufferBytes, 1, int.MaxValue);

    /// <summary>Drops the free buffers; buffers still leased are dropped when given back.</summary>
    public void Dispose()
    {
        _disposed = true;
        _free.Clear();
    }

    private void Return(UploadBuffer buffer)
    {
        if (!_disposed) _free.Add(buffer.Arrays);
        Interlocked.Decrement(ref _leased);
        _slots.Release();
    }
}
