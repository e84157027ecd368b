using System.Collections.Concurrent;
using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Federation;

/// <summary>
/// The registered node agents, one per region, in memory: after a coordinator restart nodes get
/// <c>Unauthenticated</c> and register again. Re-registering a region replaces (and disconnects) its previous node.
/// </summary>
internal sealed class NodeRegistry(TimeProvider time) : IClientManager
{
    private readonly ConcurrentDictionary<string, NodeSession> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, NodeSession> _byRegion = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = NewSignal();

    public NodeSession Register(RegisterRequest request)
    {
        var session = new NodeSession(Guid.NewGuid().ToString(), request, time.GetUtcNow());
        NodeSession? previous;
        lock (_gate)
        {
            _byRegion.TryGetValue(request.Region, out previous);
            _byRegion[request.Region] = session;
            _byId[session.NodeId] = session;
            if (previous is not null) _byId.TryRemove(previous.NodeId, out _);
        }
        previous?.End();
        NotifyChanged();
        return session;
    }

    public void Touch(NodeSession session) => session.Touch(time.GetUtcNow());

    /// <summary>
    /// Marks every connected node not heard from for longer than <paramref name="timeout"/> unavailable (its task
    /// stream closed); returns those nodes. A node that calls again (heartbeat, new stream) is available again.
    /// </summary>
    public IReadOnlyList<NodeSession> DropSilent(TimeSpan timeout)
    {
        var cutoff = time.GetUtcNow() - timeout;
        var dropped = _byId.Values.Where(s => s.Connected && s.LastSeen < cutoff && s.DropStream()).ToList();
        if (dropped.Count > 0) NotifyChanged();
        return dropped;
    }

    /// <summary>
    /// Tells every node that <paramref name="jobId"/> ended (<c>NodeTask.cancel</c>): a node training for it stops at
    /// once and drops its queued tasks. Queued for nodes without an open stream, delivered when they reconnect.
    /// </summary>
    public void CancelJob(string jobId, string reason)
    {
        foreach (var session in _byId.Values)
            session.Send(new NodeTask { JobId = jobId, Round = -1, Cancel = new CancelTask { Reason = reason } });
    }

    public NodeSession? Find(string nodeId) => _byId.TryGetValue(nodeId, out var s) ? s : null;

    public IReadOnlyList<NodeSession> All => _byId.Values.OrderBy(s => s.Region, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Nodes with an open task stream, restricted to <paramref name="regions"/> when it is not empty and, when
    /// <paramref name="dataset"/> is given, to nodes that registered that dataset; sorted by region.
    /// </summary>
    public IReadOnlyList<AvailableClient> Connected(IReadOnlyCollection<string> regions, string? dataset = null) => ConnectedSessions(regions)
        .Where(s => dataset is null || s.Datasets.Contains(dataset, StringComparer.Ordinal))
        .Select(s => new AvailableClient(s.NodeId, s.Region))
        .ToList();

    /// <summary>Regions connected (within <paramref name="regions"/>) that did not register <paramref name="dataset"/>, by name.</summary>
    public IReadOnlyList<string> ConnectedWithout(IReadOnlyCollection<string> regions, string dataset) => ConnectedSessions(regions)
        .Where(s => !s.Datasets.Contains(dataset, StringComparer.Ordinal))
        .Select(s => s.Region)
        .ToList();

    IReadOnlyList<AvailableClient> IClientManager.Connected(IReadOnlyCollection<string> regions, string dataset) => Connected(regions, dataset);

    IClientProxy? IClientManager.Find(string nodeId) => Find(nodeId) is { } session ? new GrpcClientProxy(session) : null;

    private IEnumerable<NodeSession> ConnectedSessions(IReadOnlyCollection<string> regions) => _byId.Values
        .Where(s => s.Connected && !s.IsEnded && (regions.Count == 0 || regions.Contains(s.Region)))
        .OrderBy(s => s.Region, StringComparer.Ordinal);

    /// <summary>A task that completes at the next registration, connect or disconnect.</summary>
    public Task Changed { get { lock (_gate) return _changed.Task; } }

    public void NotifyChanged()
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            done = _changed;
            _changed = NewSignal();
        }
        done.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
