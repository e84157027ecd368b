using FederatedCare.Protos.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace FederatedCare.Node.Sdk;

/// <summary>
/// A node's main loop: register, hold the WaitForTask stream open and hand its tasks to an
/// <see cref="INodeTaskHandler"/> one at a time (<see cref="NodeTaskQueue"/>: the stream is read while a task runs, so a
/// job's cancellation stops its running task at once), with a <see cref="HeartbeatLoop"/> beside it. When the coordinator is
/// unreachable, the stream breaks, or the coordinator answers Unauthenticated (it restarted without knowing this node,
/// or marked it vanished), wait (<see cref="ReconnectBackoff"/>) and register again. A coordinator that is not up yet
/// is simply retried. A registration refused with AlreadyExists (another agent serves this region and is alive) is
/// logged as such and retried with the same backoff: this agent stands by and gets in once the other is gone, while
/// the other is never disturbed. A re-registration names the node id this agent held (<c>previous_node_id</c>), so
/// the coordinator replaces it at once even before it noticed the broken stream. Ends when cancelled, or when the
/// coordinator replaced this agent's registration (Aborted): registering again could start a tug of war, so the
/// operator must decide which one runs. Renewed TLS credentials (<see cref="CoordinatorChannel.Renew"/>) end the task
/// stream at once (the task in progress still finishes, under the registration it came with); the loop then opens a
/// new channel with them and registers again without a backoff wait, so the coordinator sees the new certificate.
/// </summary>
/// <param name="channel">The channel to the coordinator.</param>
/// <param name="handler">Runs the tasks.</param>
/// <param name="reconnect">Backoff between attempts.</param>
/// <param name="time">This agent's clock (heartbeats; the clock offset measured at registration).</param>
/// <param name="logger">Where connection events go.</param>
public sealed class NodeLoop(CoordinatorChannel channel, INodeTaskHandler handler, ReconnectOptions reconnect, TimeProvider time, ILogger logger)
{
    // Below this, an offset is network delay or ordinary drift, not worth a warning.
    private static readonly TimeSpan NoticeableClockOffset = TimeSpan.FromSeconds(2);

    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled or the region is taken over.</summary>
    /// <param name="registration">The Register request, built afresh for each attempt.</param>
    /// <param name="stoppingToken">Stops the loop; the task in progress is cancelled.</param>
    /// <returns>Null when stopped; the coordinator's reason when another node took the region over.</returns>
    public async Task<string?> RunAsync(Func<RegisterRequest> registration, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var calls = channel.Calls;
        var backoff = new ReconnectBackoff(reconnect);
        string previousNodeId = "";
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan delay;
            // Renewed credentials (CoordinatorChannel.Renew) are applied here, between connections, and end the stream.
            if (channel.ApplyRenewal()) SdkLog.Renewed(logger, channel.Address);
            var renewal = channel.RenewalRequested;
            try
            {
                var request = registration();
                request.PreviousNodeId = previousNodeId;
                var (session, interval) = await calls.RegisterAsync(request, stoppingToken, time).ConfigureAwait(false);
                previousNodeId = session.NodeId;
                SdkLog.Registered(logger, channel.Address, session.NodeId, request.Device, string.Join(",", request.Datasets));
                if (session.ClockOffset.Duration() >= NoticeableClockOffset)
                    SdkLog.ClockOffset(logger, -session.ClockOffset.TotalSeconds);
                using var streamCts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, renewal);
                var heartbeat = HeartbeatAsync(session, interval, streamCts);
                var queue = new NodeTaskQueue(handler, session, logger);
                var worker = RunTasksAsync(queue, streamCts, stoppingToken);
                try
                {
                    using var call = calls.WaitForTask(session, streamCts.Token);
                    await foreach (var task in call.ResponseStream.ReadAllAsync(streamCts.Token).ConfigureAwait(false))
                    {
                        backoff.Reset(); // the coordinator is talking to us: a later failure starts with a short wait
                        queue.Post(task);
                    }
                }
                finally
                {
                    // Tasks already read still run (as before, a broken stream does not stop the task in progress);
                    // what the handler let escape (Unauthenticated, say) then surfaces here.
                    queue.Complete();
                    try
                    {
                        await worker.ConfigureAwait(false);
                    }
                    finally
                    {
                        await streamCts.CancelAsync().ConfigureAwait(false);
                        await heartbeat.ConfigureAwait(false);
                    }
                }
                delay = backoff.Next();
                SdkLog.StreamEnded(logger, (long)delay.TotalMilliseconds);
            }
            catch (Exception e) when (stoppingToken.IsCancellationRequested && e is OperationCanceledException or RpcException)
            {
                break;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Aborted)
            {
                return e.Status.Detail;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
            {
                delay = backoff.Next();
                SdkLog.RegionTaken(logger, e.Status.Detail, (long)delay.TotalMilliseconds);
            }
            catch (Exception e) when (renewal.IsCancellationRequested && e is OperationCanceledException or RpcException)
            {
                // Renewed credentials ended the stream: connect with them at once.
                delay = TimeSpan.Zero;
                SdkLog.RenewalPending(logger);
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
            {
                // The heartbeat loop ended the stream: the coordinator no longer knows this node.
                delay = backoff.Next();
                SdkLog.StreamEnded(logger, (long)delay.TotalMilliseconds);
            }
            catch (RpcException e)
            {
                delay = backoff.Next();
                SdkLog.ConnectionLost(logger, channel.Address, e.StatusCode, e.Status.Detail, (long)delay.TotalMilliseconds);
            }
            catch (Exception e)
            {
                // A bug or an unexpected transport error must not kill a hospital's node: log it and start over.
                delay = backoff.Next();
                SdkLog.UnexpectedError(logger, e, (long)delay.TotalMilliseconds);
            }
            if (!await DelayAsync(delay, stoppingToken).ConfigureAwait(false)) break;
        }
        return null;
    }

    // Runs the queue; if a task lets an error escape, the stream ends too so the loop can register again.
    private static async Task RunTasksAsync(NodeTaskQueue queue, CancellationTokenSource stream, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await queue.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch
        {
            await stream.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    // Beats until the stream ends; an Unauthenticated answer cancels the stream so the loop registers again.
    private async Task HeartbeatAsync(NodeSession session, TimeSpan interval, CancellationTokenSource stream)
    {
        await Task.Yield();
        bool forgotten = await HeartbeatLoop.RunAsync(ct => channel.Calls.HeartbeatAsync(session, ct), interval, time,
            e => SdkLog.HeartbeatFailed(logger, e.StatusCode, e.Status.Detail), stream.Token).ConfigureAwait(false);
        if (!forgotten) return;
        SdkLog.Forgotten(logger, session.NodeId);
        await stream.CancelAsync().ConfigureAwait(false);
    }

    // False when the node is stopping.
    private static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
