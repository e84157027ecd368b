using System.Collections.Concurrent;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Aggregation;

/// <summary>
/// Streaming aggregation of one fit round (one attempt): uploads rent an <see cref="UploadBuffer"/>, are decoded,
/// hashed and checked for finite values into it, and only once the whole upload is valid is it folded into the
/// <see cref="RunningSum"/> — a rejected upload (bad shape, NaN mid-stream, hash mismatch, cut off) never touches the
/// sum, and a retried one is folded once (the open round folds only accepted, non-duplicate updates).
/// Memory: the running sum plus <see cref="AggregationOptions.UploadBuffers"/> buffers, independent of the number of
/// clients.
/// <para>
/// Determinism: updates are folded in arrival order, so the float32 sum can differ run to run by rounding (a few
/// units in the last place of each element; the mean itself is the same up to that). Rounds whose updates are smaller
/// than <see cref="AggregationOptions.StreamingMinBytes"/> are not streamed (<see cref="Create"/> returns null) and
/// aggregate in region order, bit-identically.
/// </para>
/// </summary>
public sealed class RoundAggregation : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<float[][]> _free = [];
    private readonly IReadOnlyList<long> _counts;
    private readonly IStreamingStrategy _strategy;
    private bool _disposed;

    /// <summary>Streams the round's updates of <paramref name="layout"/> into a running sum for <paramref name="strategy"/>.</summary>
    /// <param name="strategy">The job's strategy.</param>
    /// <param name="layout">The update layout (<see cref="Strategies.IStrategy.ExpectedUpdate"/>), float32.</param>
    /// <param name="uploadBuffers">Uploads decoded at once (at least 1).</param>
    public RoundAggregation(IStreamingStrategy strategy, IReadOnlyList<TensorSpec> layout, int uploadBuffers)
    {
        _strategy = strategy;
        Sum = new RunningSum(strategy, layout);
        _counts = layout.Select(t => t.Shape.Aggregate(1L, (a, d) => a * d)).ToList();
        _slots = new SemaphoreSlim(Math.Max(1, uploadBuffers));
    }

    /// <summary>
    /// A streaming aggregation when the strategy supports it, the job needs no individual updates
    /// (<paramref name="keepsUpdates"/>: cross-site validation or local mode) and the update is at least
    /// <see cref="AggregationOptions.StreamingMinBytes"/>; otherwise null (updates are kept and aggregated at the end).
    /// </summary>
    public static RoundAggregation? Create(Strategies.IStrategy strategy, IReadOnlyList<TensorSpec> layout, bool keepsUpdates,
        AggregationOptions options)
    {
        if (strategy is not IStreamingStrategy streaming || keepsUpdates) return null;
        long bytes = layout.Sum(t => t.Shape.Aggregate(1L, (a, d) => a * d)) * sizeof(float);
        return bytes >= options.StreamingMinBytes ? new RoundAggregation(streaming, layout, options.UploadBuffers) : null;
    }

    /// <summary>The running sum of the accepted updates.</summary>
    public RunningSum Sum { get; }

    /// <summary>Waits for a free upload buffer (allocated on first use, then reused within the round).</summary>
    public async Task<UploadBuffer> RentAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var arrays = _free.TryTake(out var free) ? free : _counts.Select(c => new float[c]).ToArray();
        return new UploadBuffer(arrays, Return);
    }

    /// <summary>Folds a validated update, its values times <paramref name="scale"/> (a DP clip factor); the caller holds the round's lock.</summary>
    public void Fold(UploadBuffer buffer, long numExamples, double scale = 1) => Sum.Fold(buffer.Arrays, numExamples, scale);

    /// <summary>The next global model from the folded updates (at least one).</summary>
    public ModelParameters Finish(ModelParameters global) => _strategy.FinishFit(global, Sum);

    /// <summary>Drops the free buffers; buffers still rented are dropped when returned.</summary>
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
