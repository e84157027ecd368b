using Grpc.Core;

namespace FederatedCare.Node.Sdk;

/// <summary>
/// Sends a heartbeat every interval (the coordinator's <c>heartbeat_interval_ms</c>) on its own timer, so the node
/// stays available while it trains for a long time without other traffic. A failed beat is reported and the loop
/// goes on (the coordinator may be restarting); it ends when cancelled, or when the coordinator answers
/// Unauthenticated, i.e. no longer knows this node: then the caller must register again.
/// </summary>
public static class HeartbeatLoop
{
    /// <summary>Runs the loop.</summary>
    /// <param name="beat">One heartbeat call.</param>
    /// <param name="interval">Time between beats.</param>
    /// <param name="time">The clock.</param>
    /// <param name="failed">Told about each failed beat other than Unauthenticated.</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    /// <returns>True when the coordinator answered Unauthenticated, false when cancelled.</returns>
    public static async Task<bool> RunAsync(Func<CancellationToken, Task> beat, TimeSpan interval, TimeProvider time,
        Action<RpcException> failed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(beat);
        ArgumentNullException.ThrowIfNull(failed);
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await beat(cancellationToken).ConfigureAwait(false);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated)
                {
                    return true;
                }
                catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
                {
                    failed(e);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
        catch (RpcException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped during a beat.
        }
        return false;
    }
}
