using System.Security.Cryptography.X509Certificates;
using FederatedCare.Protos.Security;

namespace FederatedCare.Coordinator.Security;

/// <summary>
/// Decides during the TLS handshake whether a client certificate may connect: it must chain to the federation CA
/// (never to a system root), be within its validity period and be meant for client authentication.
/// </summary>
internal sealed class ClientCertificateValidator(TlsCredentials credentials, ILogger<ClientCertificateValidator> logger)
{
    /// <summary>True when the certificate may connect; otherwise logs why not.</summary>
    public bool IsValid(X509Certificate2 certificate)
    {
        // Kestrel's chain was built against the system's roots: build our own against the federation CA only.
        using var chain = new X509Chain { ChainPolicy = FederationTrust.ChainPolicy(credentials.ClientCa, FederationTrust.ClientAuthentication) };
        if (chain.Build(certificate)) return true;
        var reasons = chain.ChainStatus.Select(s => $"{s.Status} ({s.StatusInformation.Trim()})").Distinct();
        SecurityLog.ClientCertificateRejected(logger, certificate.Subject, certificate.Issuer, string.Join("; ", reasons));
        return false;
    }
}
