using System.Net;
using System.Net.Security;
using FederatedCare.Protos.V1;
using Grpc.Net.Client;

namespace FederatedCare.Node.Sdk;

/// <summary>
/// A node's one gRPC channel to the coordinator (outbound only). HTTP/2 keep-alive pings detect a dead coordinator or
/// a silently dropped NAT/firewall mapping while the task stream is idle; several HTTP/2 connections may be opened so
/// that a model download never queues behind the long-lived task stream's connection limits. With
/// client TLS options the node presents its region's certificate and trusts only the federation CA
/// (<see cref="Protos.Security.FederationTrust.ClientOptions"/>).
/// </summary>
public sealed class CoordinatorChannel : IDisposable
{
    /// <summary>Largest single message accepted either way. Models travel in 1 MiB chunks, so this is headroom.</summary>
    public const int MaxMessageBytes = 64 << 20;

    private readonly GrpcChannel _channel;

    /// <summary>Creates the channel to <paramref name="address"/>; nothing connects yet.</summary>
    /// <param name="address">The coordinator's address, e.g. <c>http://127.0.0.1:5050</c>.</param>
    /// <param name="tls">Client TLS options (mutual TLS), or null for plaintext.</param>
    /// <param name="callTimeout">Deadline of unary calls (<see cref="FederationCalls"/>).</param>
    public CoordinatorChannel(string address, SslClientAuthenticationOptions? tls, TimeSpan callTimeout)
    {
        Address = address;
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
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
        Calls = new FederationCalls(new Federation.FederationClient(_channel), callTimeout);
    }

    /// <summary>The coordinator's address.</summary>
    public string Address { get; }

    /// <summary>The Federation service's calls on this channel.</summary>
    public FederationCalls Calls { get; }

    /// <inheritdoc />
    public void Dispose() => _channel.Dispose();
}
