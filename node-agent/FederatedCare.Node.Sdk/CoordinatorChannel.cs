using System.Net;
using System.Net.Security;
using FederatedCare.Protos.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace FederatedCare.Node.Sdk;

/// <summary>
/// A node's gRPC channel to the coordinator (outbound only). HTTP/2 keep-alive pings detect a dead coordinator or
/// a silently dropped NAT/firewall mapping while the task stream is idle; several HTTP/2 connections may be opened so
/// that a model download never queues behind the long-lived task stream's connection limits. With
/// client TLS options the node presents its region's certificate and trusts only the federation CA
/// (<see cref="Protos.Security.FederationTrust.ClientOptions"/>). Renewed TLS options (<see cref="Renew"/>) take
/// effect at the next connection: <see cref="NodeLoop"/> ends its task stream when they arrive and, before it
/// registers again, opens a new channel with them (<see cref="ApplyRenewal"/>); <see cref="Calls"/> stays the same
/// object and follows.
/// </summary>
public sealed class CoordinatorChannel : IDisposable
{
    /// <summary>Largest single message accepted either way. Models travel in 1 MiB chunks, so this is headroom.</summary>
    public const int MaxMessageBytes = 64 << 20;

    private readonly Lock _gate = new();
    private volatile Opened _current;
    private SslClientAuthenticationOptions? _renewed;
    private CancellationTokenSource _renewal = new();

    /// <summary>Creates the channel to <paramref name="address"/>; nothing connects yet.</summary>
    /// <param name="address">The coordinator's address, e.g. <c>http://127.0.0.1:5050</c>.</param>
    /// <param name="tls">Client TLS options (mutual TLS), or null for plaintext.</param>
    /// <param name="callTimeout">Deadline of unary calls (<see cref="FederationCalls"/>).</param>
    public CoordinatorChannel(string address, SslClientAuthenticationOptions? tls, TimeSpan callTimeout)
    {
        Address = address;
        _current = Open(address, tls);
        Calls = new FederationCalls(new Federation.FederationClient(new CurrentChannelInvoker(() => _current.Invoker)),
            callTimeout);
    }

    /// <summary>The coordinator's address.</summary>
    public string Address { get; }

    /// <summary>The Federation service's calls, on the channel in use when each call starts.</summary>
    public FederationCalls Calls { get; }

    /// <summary>Cancelled once renewed TLS options wait for <see cref="ApplyRenewal"/>; a new token after that.</summary>
    public CancellationToken RenewalRequested
    {
        get
        {
            lock (_gate) return _renewal.Token;
        }
    }

    /// <summary>
    /// Connects with <paramref name="tls"/> from the next connection on (<see cref="ApplyRenewal"/>), e.g. a renewed
    /// certificate; <see cref="RenewalRequested"/> is cancelled so the task stream ends and the node registers again
    /// with it. A second renewal before that replaces the first.
    /// </summary>
    public void Renew(SslClientAuthenticationOptions tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        CancellationTokenSource renewal;
        lock (_gate)
        {
            _renewed = tls;
            renewal = _renewal;
        }
        renewal.Cancel();
    }

    /// <summary>
    /// Opens a new channel with the options <see cref="Renew"/> left, if any, and closes the previous one with its
    /// connections; calls still running on it fail. <see cref="NodeLoop"/> calls it between connections, when its
    /// stream, heartbeats and tasks have ended. True when a renewal was applied.
    /// </summary>
    public bool ApplyRenewal()
    {
        GrpcChannel previous;
        lock (_gate)
        {
            if (_renewed is null) return false;
            previous = _current.Channel;
            _current = Open(Address, _renewed);
            _renewed = null;
            // The cancelled source is dropped, not disposed: a Renew that took it just before may still cancel it
            // (a no-op then). Without a timer it holds nothing to release.
            _renewal = new CancellationTokenSource();
        }
        previous.Dispose();
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _current.Channel.Dispose();
            _renewal.Dispose();
        }
    }

    private static Opened Open(string address, SslClientAuthenticationOptions? tls)
    {
        var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                SslOptions = tls ?? new(),
                EnableMultipleHttp2Connections = true,
                // Start with a large receive window: model downloads then flow without waiting for window growth.
                InitialHttp2StreamWindowSize = 16 * 1024 * 1024,
                KeepAlivePingDelay = TimeSpan.FromSeconds(15),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                ConnectTimeout = TimeSpan.FromSeconds(5),
                AutomaticDecompression = DecompressionMethods.None,
            },
            MaxReceiveMessageSize = MaxMessageBytes,
            MaxSendMessageSize = MaxMessageBytes,
            DisposeHttpClient = true,
        });
        return new Opened(channel, channel.CreateCallInvoker());
    }

    private sealed record Opened(GrpcChannel Channel, CallInvoker Invoker);
}
