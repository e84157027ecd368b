using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using FederatedCare.Cli.Provisioning;
using FederatedCare.Protos.Security;
using Grpc.Net.Client;

namespace FederatedCare.IntegrationTests.Security;

/// <summary>
/// A federation's certificates made by fedcare's own provisioning code in a temporary folder — the demo's four regions,
/// the spare region Gotland (no agent runs for it), operator alice and researcher bob — and the settings (the CA's
/// revocation list included) and channels that use them.
/// </summary>
internal sealed class TestPki
{
    public static readonly FederationIdentity Alice = new(FederationRoles.Operator, "alice");
    public static readonly FederationIdentity Bob = new(FederationRoles.Researcher, "bob");

    private TestPki(PkiFiles files) => Files = files;

    public PkiFiles Files { get; }

    /// <summary>The federation CA certificate, as clients load it.</summary>
    public X509Certificate2Collection Ca => PemFiles.LoadCertificates(Files.CaCertificate, "ca.pem");

    public static TestPki Provision()
    {
        var regions = Federation.Regions.Select(r => r.Region).Append("Gotland").Append("Bornholm");
        var clients = regions.Select(r => new FederationIdentity(FederationRoles.Node, r)).Append(Alice).Append(Bob).ToList();
        var (files, _) = FederationProvisioner.Run(new ProvisioningPlan(RepositoryPaths.TempDirectory(), [], clients, Days: 2, Force: false),
            TimeProvider.System);
        return new TestPki(files);
    }

    public static FederationIdentity Node(string region) => new(FederationRoles.Node, region);

    public string[] CoordinatorArgs() =>
    [
        $"--Coordinator:Tls:CertificatePath={Files.ServerCertificate}",
        $"--Coordinator:Tls:KeyPath={Files.ServerKey}",
        $"--Coordinator:Tls:ClientCaPath={Files.CaCertificate}",
        $"--Coordinator:Tls:RevocationList={Files.RevocationList}",
    ];

    /// <summary>Revokes <paramref name="targets"/> (names or serials) as <c>fedcare provision --ca-dir --revoke</c> does, into this folder's crl.pem.</summary>
    public CertificateRevoker.Result Revoke(params string[] targets) => CertificateRevoker.Revoke(Files.Directory, targets, days: 1, TimeProvider.System);

    public string[] NodeArgs(string region) =>
    [
        $"--NodeAgent:Tls:CertificatePath={Files.ClientCertificate(Node(region))}",
        $"--NodeAgent:Tls:KeyPath={Files.ClientKey(Node(region))}",
        $"--NodeAgent:Tls:CaPath={Files.CaCertificate}",
    ];

    /// <summary>The certificate and key provisioning wrote for <paramref name="identity"/>.</summary>
    public X509Certificate2 Certificate(FederationIdentity identity) =>
        PemFiles.LoadCertificateWithKey(Files.ClientCertificate(identity), Files.ClientKey(identity), "certificate", "key");

    /// <summary>A channel that presents <paramref name="identity"/>'s certificate and trusts this federation's CA.</summary>
    public GrpcChannel Channel(Uri address, FederationIdentity identity) => Channel(address, Certificate(identity), Ca);

    /// <summary>A channel that presents <paramref name="clientCertificate"/> (none when null) and trusts only <paramref name="trustedCa"/>.</summary>
    public static GrpcChannel Channel(Uri address, X509Certificate2? clientCertificate, X509Certificate2Collection trustedCa) =>
        GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                SslOptions = clientCertificate is null
                    ? new SslClientAuthenticationOptions { CertificateChainPolicy = FederationTrust.ChainPolicy(trustedCa, FederationTrust.ServerAuthentication) }
                    : FederationTrust.ClientOptions(clientCertificate, trustedCa),
            },
        });
}
