using System.Collections.Concurrent;

namespace FederatedCare.Federation.Core.Aggregation;

/// <summary>
/// At most a fixed number of buffers of one update size (one float32 array per layout tensor), leased by the uploads
/// of a streaming round: a further upload waits until one is given back. Allocated on first use, then reused.
/// </summary>
/// <param name="counts">Elements of each tensor of the update layout.</param>
/// <param name="buffers">Buffers at once (at least 1).</param>
public sealed class UploadBufferPool(IReadOnlyList<long> counts, int buffers) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, buffers));
    private readonly ConcurrentBag<float[][]> _free = [];
    private bool _disposed;

    /// <summary>Waits for a free buffer.</summary>
    public async Task<UploadBuffer> RentAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var arrays = _free.TryTake(out var free) ? free : counts.Select(c => new float[c]).ToArray();
        return new UploadBuffer(arrays, Return);
    }

    /// <summary>Drops the free buffers; buffers still leased are dropped when given back.</summary>
    public void Dispose()
    {
        _disposed = true;
        _free.Clear();
    }

    private void Return(UploadBuffer buffer)
    {
        if (!_disposed) _free.Add(buffer.Arrays);
        _slots.Release();
    }
}
