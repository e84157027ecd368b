using System.Net.Security;
using FederatedCare.NodeAgent.Options;
using FederatedCare.Protos.Security;

namespace FederatedCare.NodeAgent.Agent;

/// <summary>The client TLS of the agent's channel, from <see cref="NodeAgentOptions.Tls"/>: its region's certificate, trusting only the federation CA.</summary>
public static class CoordinatorTls
{
    /// <summary>The TLS options, or null when <see cref="NodeAgentOptions.Tls"/> is not configured (plaintext).</summary>
    /// <exception cref="TlsConfigurationException">
    /// A TLS file holds no usable PEM certificate or key, or the certificate is not a node certificate of this region.
    /// </exception>
    public static SslClientAuthenticationOptions? From(NodeAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Tls.IsConfigured) return null;
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
