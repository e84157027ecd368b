using Grpc.Core;

namespace FederatedCare.Coordinator.Federation;

/// <summary>
/// One upload in flight (from <see cref="UploadSlots"/>): its slot, and a token that ends the upload when the call ends,
/// when its whole-upload deadline (<see cref="CallerLimitOptions.UploadDeadlineSeconds"/>, on the injected clock)
/// passes, or when a newer upload of the same node and round replaces it. <see cref="RunAsync{T}"/> turns the last two
/// into their statuses, DeadlineExceeded and Aborted. Dispose when the upload ended (its buffer given back).
/// </summary>
internal sealed class UploadTicket : IDisposable
{
    private const int Running = 0, Replaced = 1, Expired = 2;
    private readonly UploadSlots _slots;
    private readonly CancellationTokenSource _cancel;
    private readonly ITimer _deadline;
    private readonly TimeSpan _limit;
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _reason;

    internal UploadTicket(UploadSlots slots, (string NodeId, string JobId, int Round) key, TimeProvider time, TimeSpan limit, CancellationToken call)
    {
        (_slots, Key, _limit) = (slots, key, limit);
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(call);
        _deadline = time.CreateTimer(static s => ((UploadTicket)s!).End(Expired), this, limit, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The node, job and round of the upload.</summary>
    public (string NodeId, string JobId, int Round) Key { get; }

    /// <summary>Cancelled when the call ends, the deadline passes or a newer upload replaces this one.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>Completes once the ticket is disposed: the upload has ended and given back its buffer.</summary>
    public Task Ended => _ended.Task;

    /// <summary>Runs the upload with <see cref="Token"/>.</summary>
    /// <exception cref="RpcException">DeadlineExceeded (the whole-upload deadline passed) or Aborted (replaced).</exception>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        try
        {
            return await upload(Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && Volatile.Read(ref _reason) != Running)
        {
            throw Volatile.Read(ref _reason) == Expired
                ? new RpcException(new Status(StatusCode.DeadlineExceeded,
                    $"The upload was still open after {_limit.TotalSeconds:0} s (Coordinator:Limits:UploadDeadlineSeconds) and was dropped; send it again."))
                : new RpcException(new Status(StatusCode.Aborted,
                    $"A newer upload of this node for round {Key.Round} of job '{Key.JobId}' replaced this one, which was dropped."));
        }
    }

    /// <summary>Ends the upload: a newer one of its node and round takes its place.</summary>
    public void Replace() => End(Replaced);

    /// <inheritdoc/>
    public void Dispose()
    {
        _deadline.Dispose();
        _slots.Leave(this);
        _cancel.Dispose();
        _ended.TrySetResult();
    }

    private void End(int reason)
    {
        if (Interlocked.CompareExchange(ref _reason, reason, Running) != Running) return;
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The upload ended meanwhile.
        }
    }
}
