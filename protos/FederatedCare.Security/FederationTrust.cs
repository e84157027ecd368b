using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FederatedCare.Protos.Security;

/// <summary>
/// Trust in the federation CA and nothing else: the chain policy both sides of a connection check the other's
/// certificate with, and the TLS options clients (node agents, the CLI) connect with.
/// </summary>
public static class FederationTrust
{
    /// <summary>Extended key usage of the coordinator's certificate (id-kp-serverAuth).</summary>
    public static Oid ServerAuthentication { get; } = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    /// <summary>Extended key usage of node, operator and researcher certificates (id-kp-clientAuth).</summary>
    public static Oid ClientAuthentication { get; } = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    /// <summary>
    /// A chain policy that accepts only chains ending in one of <paramref name="federationCa"/>, never the system's
    /// roots, for certificates allowed <paramref name="usage"/>; expired or not-yet-valid certificates fail.
    /// </summary>
    public static X509ChainPolicy ChainPolicy(X509Certificate2Collection federationCa, Oid usage)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            // The platform's revocation check would look for a CRL at a distribution point the certificates do not
            // name: it would fail every chain. The coordinator checks the federation's own list (RevocationList,
            // Coordinator:Tls:RevocationList) itself, after the chain.
            RevocationMode = X509RevocationMode.NoCheck,
            // Nothing is fetched from URLs in certificates: the coordinator and agents must not make outbound calls
            // on a peer's behalf, and the whole chain is the CA and the leaf anyway.
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.AddRange(federationCa);
        policy.ApplicationPolicy.Add(usage);
        return policy;
    }

    /// <summary>
    /// TLS options for a client of the coordinator: presents <paramref name="clientCertificate"/> and accepts only a
    /// server certificate issued by <paramref name="federationCa"/> for the host it connects to.
    /// </summary>
    public static SslClientAuthenticationOptions ClientOptions(X509Certificate2 clientCertificate, X509Certificate2Collection federationCa) => new()
    {
        ClientCertificates = [clientCertificate],
        CertificateChainPolicy = ChainPolicy(federationCa, ServerAuthentication),
    };
}
