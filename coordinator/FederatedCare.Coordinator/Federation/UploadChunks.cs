using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Protos.V1;
using Grpc.Core;

namespace FederatedCare.Coordinator.Federation;

/// <summary>
/// The model chunks that follow an upload's header, each of which must come within the idle limit
/// (<see cref="CallerLimitOptions.UploadIdleSeconds"/>): a node that stops sending in the middle of an upload would
/// otherwise hold its upload buffer, and with it every other region's upload and the round.
/// </summary>
internal static class UploadChunks
{
    /// <summary>Reads the chunks to the end of the stream.</summary>
    /// <exception cref="InvalidUpdateException">A message other than a model chunk follows the header.</exception>
    /// <exception cref="RpcException">DeadlineExceeded: nothing arrived for <paramref name="idle"/>.</exception>
    public static async IAsyncEnumerable<ModelChunk> ReadAsync(IAsyncStreamReader<UpdateChunk> requestStream, TimeProvider time, TimeSpan idle,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        // One timer per upload, re-armed before each message: thousands of chunks a second must not each cost a timer.
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var timer = time.CreateTimer(static s => ((CancellationTokenSource)s!).Cancel(), wait, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        while (await NextAsync(requestStream, timer, wait, idle, ct).ConfigureAwait(false))
            yield return requestStream.Current.PayloadCase == UpdateChunk.PayloadOneofCase.Model ? requestStream.Current.Model
                : throw new InvalidUpdateException("Only model chunks may follow the header.");
    }

    private static async Task<bool> NextAsync(IAsyncStreamReader<UpdateChunk> requestStream, ITimer timer, CancellationTokenSource wait,
        TimeSpan idle, CancellationToken ct)
    {
        timer.Change(idle, Timeout.InfiniteTimeSpan);
        try
        {
            return await requestStream.MoveNext(wait.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && wait.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded,
                $"The upload sent nothing for {idle.TotalSeconds:0} s (Coordinator:Limits:UploadIdleSeconds) and was dropped; send it again."));
        }
        finally
        {
            timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }
}
