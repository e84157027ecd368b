using System.Security.Cryptography.X509Certificates;
using FederatedCare.Coordinator.Federation;
using FederatedCare.Protos.Security;

namespace FederatedCare.Coordinator.Security;

/// <summary>
/// Decides during the TLS handshake whether a client certificate may connect: it must chain to the federation CA
/// (never to a system root), be within its validity period, be meant for client authentication, and not be on the
/// CA's revocation list. Reads <see cref="TlsCredentialsHolder.Current"/> each time, so a reloaded CA or list applies
/// to the next handshake.
/// </summary>
internal sealed class ClientCertificateValidator(TlsCredentialsHolder tls, RefusalAudit refusals, ILogger<ClientCertificateValidator> logger)
{
    /// <summary>True when the certificate may connect; otherwise logs why not (a revoked one is audited too).</summary>
    public bool IsValid(X509Certificate2 certificate)
    {
        var credentials = tls.Current;
        // Kestrel's chain was built against the system's roots: build our own against the federation CA only.
        using var chain = new X509Chain { ChainPolicy = FederationTrust.ChainPolicy(credentials.ClientCa, FederationTrust.ClientAuthentication) };
        if (!chain.Build(certificate))
        {
            var reasons = chain.ChainStatus.Select(s => $"{s.Status} ({s.StatusInformation.Trim()})").Distinct();
            SecurityLog.ClientCertificateRejected(logger, certificate.Subject, certificate.Issuer, string.Join("; ", reasons));
            return false;
        }
        if (!credentials.IsRevoked(certificate)) return true;
        var caller = FederationIdentity.FromCertificate(certificate)?.ToString() ?? $"certificate '{certificate.Subject}'";
        SecurityLog.CertificateRevoked(logger, caller, certificate.SerialNumber, "TLS handshake");
        // The handshake callback is synchronous; the audit entry is written beside it rather than holding the handshake.
        _ = AuditAsync(caller, certificate.SerialNumber);
        return false;
    }

    private async Task AuditAsync(string caller, string serial)
    {
        try
        {
            await refusals.AppendAsync(caller, RevokedNodeEviction.AuditAction, null, null,
                $"TLS handshake: the certificate of {caller} (serial {serial}) is revoked by the federation CA.").ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            SecurityLog.AuditFailed(logger, caller, e.Message);
        }
    }
}
