using System.Reflection;
using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Options;
using FederatedCare.NodeAgent.Training;
using FederatedCare.Protos.V1;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FederatedCare.NodeAgent.Agent;

/// <summary>
/// The agent's main loop: register, hold the WaitForTask stream open and run its tasks one at a time. When the
/// coordinator is unreachable or the stream breaks, wait (<see cref="ReconnectBackoff"/>) and register again — the
/// coordinator may have restarted and forgotten this node. Stops cleanly when the host stops (SIGTERM, Ctrl-C).
/// </summary>
public sealed class NodeAgentWorker(
    CoordinatorConnection connection,
    TaskHandler handler,
    DatasetCatalog datasets,
    TorchRuntime runtime,
    IOptions<NodeAgentOptions> options,
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
                var session = await RegisterAsync(stoppingToken).ConfigureAwait(false);
                using var call = connection.Client.WaitForTask(
                    new WaitForTaskRequest { NodeId = session.NodeId }, session.Headers, cancellationToken: stoppingToken);
                await foreach (var task in call.ResponseStream.ReadAllAsync(stoppingToken).ConfigureAwait(false))
                {
                    backoff.Reset(); // the coordinator is talking to us: a later failure starts with a short wait
                    await handler.HandleAsync(task, session, stoppingToken).ConfigureAwait(false);
                }
                delay = backoff.Next();
                AgentLog.StreamEnded(logger, (long)delay.TotalMilliseconds);
            }
            catch (Exception e) when (stoppingToken.IsCancellationRequested && e is OperationCanceledException or RpcException)
            {
                break;
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

    private async Task<NodeSession> RegisterAsync(CancellationToken ct)
    {
        var request = new RegisterRequest { Region = _options.Region, AgentVersion = Version, Device = runtime.DeviceName };
        request.Datasets.AddRange(datasets.Names);
        var response = await connection.Client.RegisterAsync(
            request, deadline: DateTime.UtcNow.AddSeconds(_options.CallTimeoutSeconds), cancellationToken: ct).ConfigureAwait(false);
        AgentLog.Registered(logger, connection.Address, response.NodeId, runtime.DeviceName, string.Join(",", datasets.Names));
        return new NodeSession(response.NodeId, _options.Region);
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
