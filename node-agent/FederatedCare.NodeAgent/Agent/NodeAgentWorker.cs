using System.Reflection;
using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Extensions;
using FederatedCare.NodeAgent.Options;
using FederatedCare.NodeAgent.Training;
using FederatedCare.Protos.V1;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FederatedCare.NodeAgent.Agent;

/// <summary>
/// The agent's main loop: register, hold the WaitForTask stream open and run its tasks one at a time, with a
/// <see cref="HeartbeatLoop"/> beside it. When the coordinator is unreachable, the stream breaks, or the coordinator
/// answers Unauthenticated (it restarted without knowing this node, or marked it vanished), wait
/// (<see cref="ReconnectBackoff"/>) and register again. A coordinator that is not up yet is simply retried. Stops
/// cleanly when the host stops (SIGTERM, Ctrl-C): the task in progress is cancelled, and an upload cut short is
/// discarded by the coordinator (the round takes the update again or closes at its deadline).
/// </summary>
public sealed class NodeAgentWorker(
    CoordinatorConnection connection,
    TaskHandler handler,
    DatasetCatalog datasets,
    TorchRuntime runtime,
    IOptions<NodeAgentOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<NodeAgentWorker> logger) : BackgroundService
{
    private static readonly string Version =
        typeof(NodeAgentWorker).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    private readonly NodeAgentOptions _options = options.Value;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new ReconnectBackoff(_options.Reconnect);
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan delay;
            try
            {
                var (session, interval) = await RegisterAsync(stoppingToken).ConfigureAwait(false);
                using var streamCts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var heartbeat = HeartbeatAsync(session, interval, streamCts);
                try
                {
                    using var call = connection.Client.WaitForTask(
                        new WaitForTaskRequest { NodeId = session.NodeId }, session.Headers, cancellationToken: streamCts.Token);
                    await foreach (var task in call.ResponseStream.ReadAllAsync(streamCts.Token).ConfigureAwait(false))
                    {
                        backoff.Reset(); // the coordinator is talking to us: a later failure starts with a short wait
                        await handler.HandleAsync(task, session, stoppingToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    await streamCts.CancelAsync().ConfigureAwait(false);
                    await heartbeat.ConfigureAwait(false);
                }
                delay = backoff.Next();
                AgentLog.StreamEnded(logger, (long)delay.TotalMilliseconds);
            }
            catch (Exception e) when (stoppingToken.IsCancellationRequested && e is OperationCanceledException or RpcException)
            {
                break;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Aborted)
            {
                // Another agent registered as this region. Registering again would take the region back and start a
                // tug of war between the two; the operator must decide which one runs.
                AgentLog.Replaced(logger, e.Status.Detail);
                Environment.ExitCode = NodeAgentHost.Replaced;
                lifetime.StopApplication();
                break;
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
            {
                // The heartbeat loop ended the stream: the coordinator no longer knows this node.
                delay = backoff.Next();
                AgentLog.StreamEnded(logger, (long)delay.TotalMilliseconds);
            }
            catch (RpcException e)
            {
                delay = backoff.Next();
                AgentLog.ConnectionLost(logger, connection.Address, e.StatusCode, e.Status.Detail, (long)delay.TotalMilliseconds);
            }
            catch (Exception e)
            {
                // A bug or an unexpected transport error must not kill a hospital's agent: log it and start over.
                delay = backoff.Next();
                AgentLog.UnexpectedError(logger, e, (long)delay.TotalMilliseconds);
            }
            if (!await DelayAsync(delay, stoppingToken).ConfigureAwait(false)) break;
        }
        AgentLog.Stopping(logger, _options.Region);
    }

    // Beats until the stream ends; an Unauthenticated answer cancels the stream so the loop registers again.
    private async Task HeartbeatAsync(NodeSession session, TimeSpan interval, CancellationTokenSource stream)
    {
        await Task.Yield();
        bool forgotten = await HeartbeatLoop.RunAsync(
            ct => connection.Client.HeartbeatAsync(new HeartbeatRequest { NodeId = session.NodeId }, session.Headers,
                DateTime.UtcNow.AddSeconds(_options.CallTimeoutSeconds), ct).ResponseAsync,
            interval, time, e => AgentLog.HeartbeatFailed(logger, e.StatusCode, e.Status.Detail), stream.Token).ConfigureAwait(false);
        if (!forgotten) return;
        AgentLog.Forgotten(logger, session.NodeId);
        await stream.CancelAsync().ConfigureAwait(false);
    }

    private async Task<(NodeSession Session, TimeSpan HeartbeatInterval)> RegisterAsync(CancellationToken ct)
    {
        var request = new RegisterRequest { Region = _options.Region, AgentVersion = Version, Device = runtime.DeviceName };
        request.Datasets.AddRange(datasets.Names);
        var response = await connection.Client.RegisterAsync(
            request, deadline: DateTime.UtcNow.AddSeconds(_options.CallTimeoutSeconds), cancellationToken: ct).ConfigureAwait(false);
        AgentLog.Registered(logger, connection.Address, response.NodeId, runtime.DeviceName, string.Join(",", datasets.Names));
        var interval = TimeSpan.FromMilliseconds(response.HeartbeatIntervalMs > 0 ? response.HeartbeatIntervalMs : 5000);
        return (new NodeSession(response.NodeId, _options.Region), interval);
    }

    // False when the agent is stopping.
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
