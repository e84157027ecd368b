using System.Reflection;
using FederatedCare.Node.Sdk;
using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Extensions;
using FederatedCare.NodeAgent.Options;
using FederatedCare.NodeAgent.Training;
using FederatedCare.Protos.V1;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FederatedCare.NodeAgent.Agent;

/// <summary>
/// The agent's main loop: the SDK's <see cref="NodeLoop"/> (register, task stream, heartbeats, reconnect with
/// backoff) with this agent's registration and task handler (<see cref="TrainerTaskHandler"/> over <see cref="TorchTrainer"/>). Stops cleanly when the host stops (SIGTERM,
/// Ctrl-C): the task in progress is cancelled, and an upload cut short is discarded by the coordinator (the round
/// takes the update again or closes at its deadline). When another agent registered as this region, the agent stops
/// with exit code <see cref="NodeAgentHost.Replaced"/>.
/// </summary>
public sealed class NodeAgentWorker(
    CoordinatorChannel channel,
    INodeTaskHandler handler,
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
        var loop = new NodeLoop(channel, handler, _options.Reconnect, time, logger);
        var replaced = await loop.RunAsync(Registration, stoppingToken).ConfigureAwait(false);
        if (replaced is not null)
        {
            // Another agent registered as this region. Registering again would take the region back and start a
            // tug of war between the two; the operator must decide which one runs.
            AgentLog.Replaced(logger, replaced);
            Environment.ExitCode = NodeAgentHost.Replaced;
            lifetime.StopApplication();
        }
        AgentLog.Stopping(logger, _options.Region);
    }

    private RegisterRequest Registration()
    {
        var request = new RegisterRequest { Region = _options.Region, DisplayName = _options.DisplayName, AgentVersion = Version, Device = runtime.DeviceName };
        request.Datasets.AddRange(datasets.Names);
        return request;
    }
}
