using Microsoft.Extensions.Options;

namespace FederatedCare.Coordinator.Federation;

/// <summary>
/// Every heartbeat interval, marks nodes silent for longer than <see cref="CoordinatorOptions.NodeTimeout"/>
/// unavailable (<see cref="NodeRegistry.DropSilent"/>). Nodes heartbeat on their own timer, so one that trains for
/// a long time without other traffic stays available; one that vanished without closing its connection (network
/// partition, frozen host) stops being selected after the timeout, and the open round ends at its deadline. Regions
/// unseen for <see cref="CallerLimitOptions.ForgetUnseenNodesHours"/> leave the registry (and <c>fedcare nodes</c>).
/// </summary>
internal sealed partial class NodeLivenessMonitor(NodeRegistry registry, IOptions<CoordinatorOptions> options, TimeProvider time,
    ILogger<NodeLivenessMonitor> logger) : BackgroundService
{
    /// <summary>One sweep: drops the silent nodes and forgets the long-unseen ones, logging each; returns how many were dropped.</summary>
    public int Sweep()
    {
        var dropped = registry.DropSilent(options.Value.NodeTimeout);
        foreach (var node in dropped)
            NodeUnavailable(logger, node.Region, node.NodeId, node.LastSeen, options.Value.NodeTimeout.TotalSeconds);
        if (options.Value.Limits.ForgetUnseenNodesHours > 0)
            foreach (var node in registry.Forget(TimeSpan.FromHours(options.Value.Limits.ForgetUnseenNodesHours)))
                NodeForgotten(logger, node.Region, node.NodeId, node.LastSeen);
        return dropped.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)) Sweep();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    [LoggerMessage(106, LogLevel.Warning, "Region {Region} (node {NodeId}) marked unavailable: silent since {LastSeen:O}, more than {TimeoutSeconds} s")]
    private static partial void NodeUnavailable(ILogger logger, string region, string nodeId, DateTimeOffset lastSeen, double timeoutSeconds);

    [LoggerMessage(121, LogLevel.Information, "Region {Region} (node {NodeId}) left the node list: unseen since {LastSeen:O}")]
    private static partial void NodeForgotten(ILogger logger, string region, string nodeId, DateTimeOffset lastSeen);
}
