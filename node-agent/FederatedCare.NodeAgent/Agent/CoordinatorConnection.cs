using System.Net;
using FederatedCare.NodeAgent.Options;
using FederatedCare.Protos.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;

namespace FederatedCare.NodeAgent.Agent;

/// <summary>
/// The agent's one gRPC channel to the coordinator (outbound only). HTTP/2 keep-alive pings detect a dead
/// coordinator or a silently dropped NAT/firewall mapping while the task stream is idle; several HTTP/2 connections
/// may be opened so that a model download never queues behind the long-lived task stream's connection limits.
/// </summary>
public sealed class CoordinatorConnection : IDisposable
{
    /// <summary>Largest single message accepted either way. Models travel in 1 MiB chunks, so this is headroom.</summary>
    public const int MaxMessageBytes = 64 << 20;

    private readonly GrpcChannel _channel;

    /// <summary>Creates the channel to <see cref="NodeAgentOptions.CoordinatorAddress"/>; nothing connects yet.</summary>
    public CoordinatorConnection(IOptions<NodeAgentOptions> options)
    {
        Address = options.Value.CoordinatorAddress;
        _channel = GrpcChannel.ForAddress(Address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
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
        Client = new Federation.FederationClient(_channel);
    }

    /// <summary>The coordinator's address.</summary>
    public string Address { get; }

    /// <summary>The Federation service client.</summary>
    public Federation.FederationClient Client { get; }

    /// <inheritdoc />
    public void Dispose() => _channel.Dispose();
}
