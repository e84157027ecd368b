using System.Collections.Concurrent;
using FederatedCare.Coordinator.Security;
using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace FederatedCare.Coordinator.Federation;

/// <summary>
/// The registered node agents, one per region, in memory: after a coordinator restart nodes get
/// <c>Unauthenticated</c> and register again. A region has one agent: while its node is alive (task stream open and
/// heard from within the node timeout) a registration of the same region is refused with <c>AlreadyExists</c>, unless
/// it names that node in <c>previous_node_id</c> (the same agent coming back after its stream broke). Refusing rather
/// than replacing keeps a second agent, or a hostile client without a certificate, from taking a working region over,
/// and two agents can no longer take the region from each other for ever (issue 14); once the first is gone the other
/// gets in. A replaced node's stream ends with <c>Aborted</c>. At most <see cref="CallerLimitOptions.MaxNodes"/>
/// regions are held: a new one beyond evicts the longest-silent disconnected registration, or is refused with
/// <c>ResourceExhausted</c> when every one is alive.
/// </summary>
internal sealed class NodeRegistry(TimeProvider time, IOptions<CoordinatorOptions> options) : IClientManager
{
    private readonly ConcurrentDictionary<string, NodeSession> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, NodeSession> _byRegion = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>Registers a node for <c>request.Region</c>, replacing a registration of that region that is no longer alive.</summary>
    /// <exception cref="RpcException">AlreadyExists: the region's agent is alive and the request does not name it;
    /// ResourceExhausted: <see cref="CallerLimitOptions.MaxNodes"/> live regions are registered.</exception>
    /// <param name="request">The registration.</param>
    /// <param name="certificate">The client certificate it came with (mutual TLS), kept for revocation and expiry warnings.</param>
    public NodeSession Register(RegisterRequest request, PeerCertificate? certificate = null)
    {
        var now = time.GetUtcNow();
        var session = new NodeSession(Guid.NewGuid().ToString(), request, now, certificate);
        NodeSession? previous, evicted = null;
        lock (_gate)
        {
            if (_byRegion.TryGetValue(request.Region, out previous) && IsAlive(previous, now)
                && !string.Equals(previous.NodeId, request.PreviousNodeId, StringComparison.Ordinal))
                throw new RpcException(new Status(StatusCode.AlreadyExists,
                    $"Region '{request.Region}' is already served by a live agent (seen {(now - previous.LastSeen).TotalSeconds:0} s ago). " +
                    "One agent per region: stop the other agent, or this one gets in once the other's task stream closes " +
                    $"or it is silent for {options.Value.NodeTimeout.TotalSeconds:0} s."));
            if (previous is null && _byRegion.Count >= options.Value.Limits.MaxNodes)
            {
                evicted = _byRegion.Values.Where(s => !IsAlive(s, now)).MinBy(s => s.LastSeen)
                    ?? throw new RpcException(new Status(StatusCode.ResourceExhausted,
                        $"The coordinator holds its maximum of {options.Value.Limits.MaxNodes} registered regions, all alive " +
                        "(Coordinator:Limits:MaxNodes)."));
                _byRegion.TryRemove(evicted.Region, out _);
                _byId.TryRemove(evicted.NodeId, out _);
            }
            _byRegion[request.Region] = session;
            _byId[session.NodeId] = session;
            if (previous is not null) _byId.TryRemove(previous.NodeId, out _);
        }
        previous?.End();
        evicted?.End();
        NotifyChanged();
        return session;
    }

    // Alive: a task stream open and heard from within the node timeout (the liveness monitor closes the stream after).
    private bool IsAlive(NodeSession session, DateTimeOffset now) =>
        session.StreamLive && !session.IsEnded && now - session.LastSeen <= options.Value.NodeTimeout;

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
    /// Removes the registrations of regions without an open task stream and unseen for longer than
    /// <paramref name="unseenFor"/>; returns them. Their agents, if they come back, get Unauthenticated and register again.
    /// </summary>
    public IReadOnlyList<NodeSession> Forget(TimeSpan unseenFor)
    {
        var cutoff = time.GetUtcNow() - unseenFor;
        var forgotten = new List<NodeSession>();
        lock (_gate)
        {
            foreach (var session in _byRegion.Values.Where(s => !s.Connected && s.LastSeen < cutoff).ToList())
            {
                _byRegion.TryRemove(session.Region, out _);
                _byId.TryRemove(session.NodeId, out _);
                forgotten.Add(session);
            }
        }
        foreach (var session in forgotten) session.End();
        return forgotten;
    }

    /// <summary>
    /// Removes the registrations <paramref name="which"/> selects (e.g. those with a revoked certificate); their task
    /// streams end with <paramref name="why"/>'s status and their agents must register again. Returns them.
    /// </summary>
    public IReadOnlyList<NodeSession> Remove(Func<NodeSession, bool> which, Func<NodeSession, Status> why)
    {
        List<NodeSession> removed;
        lock (_gate)
        {
            removed = _byId.Values.Where(which).ToList();
            foreach (var session in removed)
            {
                _byId.TryRemove(session.NodeId, out _);
                _byRegion.TryRemove(new KeyValuePair<string, NodeSession>(session.Region, session));
            }
        }
        foreach (var session in removed) session.End(why(session));
        if (removed.Count > 0) NotifyChanged();
        return removed;
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

    public IReadOnlyList<ConnectedRegion> AllConnected() => ConnectedSessions([])
        .Select(s => new ConnectedRegion(s.Region, s.Datasets.Order(StringComparer.Ordinal).ToList()))
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
