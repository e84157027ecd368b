using System.Security.Cryptography.X509Certificates;

namespace FederatedCare.Coordinator.Security;

/// <summary>
/// What the coordinator keeps of a caller's client certificate (a node's, at registration): enough to find it on a
/// revocation list later and to warn before it expires, without holding the certificate object of a connection that
/// may be gone.
/// </summary>
/// <param name="Subject">The subject, e.g. <c>CN=Halland, OU=node, O=FederatedCare</c>.</param>
/// <param name="Serial">The serial number, upper-case hex.</param>
/// <param name="Issuer">The issuer's distinguished name, DER.</param>
/// <param name="NotAfter">The end of validity.</param>
internal sealed record PeerCertificate(string Subject, string Serial, byte[] Issuer, DateTimeOffset NotAfter)
{
    public static PeerCertificate From(X509Certificate2 certificate) => new(certificate.Subject, certificate.SerialNumber,
        certificate.IssuerName.RawData, new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
}
