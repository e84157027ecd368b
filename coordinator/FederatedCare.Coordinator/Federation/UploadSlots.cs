using Grpc.Core;
using Microsoft.Extensions.Options;

namespace FederatedCare.Coordinator.Federation;

/// <summary>
/// Uploads in flight, at most <see cref="CallerLimitOptions.MaxConcurrentUploads"/>: one more is refused at once with
/// ResourceExhausted — never queued, since a queued upload still holds its HTTP/2 stream window of unread data — and
/// the agent sends it again after its backoff.
/// </summary>
internal sealed class UploadSlots(IOptions<CoordinatorOptions> options)
{
    private int _open;

    /// <summary>Takes a slot for an upload; dispose the result when the upload ends.</summary>
    /// <exception cref="RpcException">ResourceExhausted: the coordinator is receiving its maximum of uploads.</exception>
    public IDisposable Enter()
    {
        if (Interlocked.Increment(ref _open) > options.Value.Limits.MaxConcurrentUploads)
        {
            Interlocked.Decrement(ref _open);
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"The coordinator is receiving its maximum of {options.Value.Limits.MaxConcurrentUploads} uploads " +
                "(Coordinator:Limits:MaxConcurrentUploads); send it again shortly."));
        }
        return new Slot(this);
    }

    private sealed class Slot(UploadSlots owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref owner._open);
        }
    }
}
