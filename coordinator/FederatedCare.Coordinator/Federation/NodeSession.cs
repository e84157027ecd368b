using System.Threading.Channels;
using FederatedCare.Coordinator.Security;
using FederatedCare.Protos.V1;
using Grpc.Core;

namespace FederatedCare.Coordinator.Federation;

/// <summary>
/// One registered node agent: its identity, its queue of tasks, and whether a WaitForTask stream is open.
/// Tasks queue while no stream is open and are delivered when the node reconnects.
/// </summary>
internal sealed class NodeSession(string nodeId, RegisterRequest registration, DateTimeOffset now, PeerCertificate? certificate = null)
{
    private readonly Channel<NodeTask> _tasks = Channel.CreateUnbounded<NodeTask>();
    private readonly CancellationTokenSource _ended = new();
    private readonly Lock _gate = new();
    private CancellationTokenSource? _stream;
    private long _lastSeenMs = now.ToUnixTimeMilliseconds();

    public string NodeId { get; } = nodeId;
    public string Region { get; } = registration.Region;
    /// <summary>The region's display name (e.g. "Region Jönköpings län"); empty when the agent gave none.</summary>
    public string DisplayName { get; } = registration.DisplayName;
    public string Device { get; } = registration.Device;
    public string AgentVersion { get; } = registration.AgentVersion;
    public IReadOnlyList<string> Datasets { get; } = registration.Datasets.ToList();
    /// <summary>The agent's clock minus the coordinator's when it registered (zero when the agent did not say).</summary>
    public TimeSpan ClockSkew { get; } = registration.AgentTimeUnixMs > 0
        ? TimeSpan.FromMilliseconds(registration.AgentTimeUnixMs - now.ToUnixTimeMilliseconds()) : TimeSpan.Zero;

    /// <summary>The client certificate the node registered with (mutual TLS); null without TLS.</summary>
    public PeerCertificate? Certificate { get; } = certificate;

    /// <summary>Why the registration ended, when it was not a re-registration of its region (e.g. a revoked certificate).</summary>
    public Status? EndedBecause { get; private set; }

    /// <summary>Cancelled when the node is replaced by a re-registration of its region, or removed.</summary>
    public CancellationToken Ended => _ended.Token;

    public bool IsEnded => _ended.IsCancellationRequested;

    public bool Connected { get { lock (_gate) return _stream is not null; } }

    /// <summary>
    /// Whether a task stream is open and not yet cancelled: a stream whose agent went away (its call cancelled) is
    /// closed a moment later, and a new registration of the region need not wait for that.
    /// </summary>
    public bool StreamLive { get { lock (_gate) return _stream is { IsCancellationRequested: false }; } }

    public DateTimeOffset LastSeen => DateTimeOffset.FromUnixTimeMilliseconds(Interlocked.Read(ref _lastSeenMs));

    public ChannelReader<NodeTask> Tasks => _tasks.Reader;

    public void Touch(DateTimeOffset now) => Interlocked.Exchange(ref _lastSeenMs, now.ToUnixTimeMilliseconds());

    /// <summary>Queues a task for the node; false when the node has been replaced.</summary>
    public bool Send(NodeTask task) => !IsEnded && _tasks.Writer.TryWrite(task);

    /// <summary>
    /// Claims the task stream. A node that reconnects before the server noticed its old stream die would otherwise
    /// have two readers splitting its tasks, so the previous stream is ended.
    /// </summary>
    public CancellationTokenSource OpenStream(CancellationToken requestAborted)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, _ended.Token);
        lock (_gate)
        {
            _stream?.Cancel();
            _stream = cts;
        }
        return cts;
    }

    public void CloseStream(CancellationTokenSource cts)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_stream, cts)) _stream = null;
        }
        cts.Dispose();
    }

    /// <summary>
    /// Marks the node unavailable: closes its task stream (the node sees it end and reconnects when it can) so it is
    /// not selected until it opens a new one. False when no stream was open.
    /// </summary>
    public bool DropStream()
    {
        CancellationTokenSource? stream;
        lock (_gate)
        {
            stream = _stream;
            _stream = null;
        }
        if (stream is null) return false;
        try
        {
            stream.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The stream ended meanwhile.
        }
        return true;
    }

    /// <summary>Ends the registration: no more tasks, and its task stream closes (with <paramref name="because"/> when given).</summary>
    public void End(Status? because = null)
    {
        if (because is { } status && !IsEnded) EndedBecause = status;
        _tasks.Writer.TryComplete();
        _ended.Cancel();
    }

    public NodeInfo ToInfo() => new()
    {
        NodeId = NodeId,
        Region = Region,
        DisplayName = DisplayName,
        Connected = Connected && !IsEnded,
        Device = Device,
        LastSeenUnixMs = LastSeen.ToUnixTimeMilliseconds(),
        ClockSkewMs = (long)ClockSkew.TotalMilliseconds,
        CertificateNotAfterUnixMs = Certificate?.NotAfter.ToUnixTimeMilliseconds() ?? 0,
    };
}
