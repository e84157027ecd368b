using System.Net;
using System.Net.Security;
using FederatedCare.NodeAgent.Options;
using FederatedCare.Protos.Security;
using FederatedCare.Protos.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;

namespace FederatedCare.NodeAgent.Agent;

/// <summary>
/// The agent's one gRPC channel to the coordinator (outbound only). HTTP/2 keep-alive pings detect a dead
/// coordinator or a silently dropped NAT/firewall mapping while the task stream is idle; several HTTP/2 connections
/// may be opened so that a model download never queues behind the long-lived task stream's connection limits. With
/// <see cref="NodeAgentOptions.Tls"/> the agent presents its region's certificate and trusts only the federation CA.
/// </summary>
public sealed class CoordinatorConnection : IDisposable
{
    /// <summary>Largest single message accepted either way. Models travel in 1 MiB chunks, so this is headroom.</summary>
    public const int MaxMessageBytes = 64 << 20;

    private readonly GrpcChannel _channel;

    /// <summary>Creates the channel to <see cref="NodeAgentOptions.CoordinatorAddress"/>; nothing connects yet.</summary>
    /// <exception cref="TlsConfigurationException">
    /// A TLS file holds no usable PEM certificate or key, or the certificate is not a node certificate of this region.
    /// </exception>
    public CoordinatorConnection(IOptions<NodeAgentOptions> options)
    {
        Address = options.Value.CoordinatorAddress;
        _channel = GrpcChannel.ForAddress(Address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                SslOptions = options.Value.Tls.IsConfigured ? ClientTls(options.Value) : new(),
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

    private static SslClientAuthenticationOptions ClientTls(NodeAgentOptions options)
    {
        const string t = NodeAgentOptions.SectionName + ":Tls";
        var tls = options.Tls;
        var certificate = PemFiles.LoadCertificateWithKey(tls.CertificatePath, tls.KeyPath, $"{t}:CertificatePath", $"{t}:KeyPath");
        // The coordinator would refuse the registration anyway; saying so now beats retrying for ever.
        var expected = new FederationIdentity(FederationRoles.Node, options.Region);
        var identity = FederationIdentity.FromCertificate(certificate);
        if (identity != expected)
            throw new TlsConfigurationException($"{t}:CertificatePath '{tls.CertificatePath}' is the certificate of " +
                $"{(identity is null ? $"'{certificate.Subject}'" : identity.ToString())}, not of {expected} ({NodeAgentOptions.SectionName}:Region).");
        return FederationTrust.ClientOptions(certificate, PemFiles.LoadCertificates(tls.CaPath, $"{t}:CaPath"));
    }
}
