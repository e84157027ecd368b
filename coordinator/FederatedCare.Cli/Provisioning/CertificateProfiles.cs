using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FederatedCare.Protos.Security;

namespace FederatedCare.Cli.Provisioning;

/// <summary>
/// The three kinds of certificate request provisioning makes, each with its extensions: the CA (may sign end-entity
/// certificates only), the coordinator (serverAuth, with its hosts as subject alternative names) and a client
/// (clientAuth, identity and role in the subject). All keys are ECDSA P-256, signed with SHA-256.
/// </summary>
public static class CertificateProfiles
{
    /// <summary>The CA's subject.</summary>
    public static X500DistinguishedName AuthoritySubject { get; } = Subject("FederatedCare federation CA");

    /// <summary>A self-signable CA request: basic constraints CA with path length 0, key usage certificate and CRL signing.</summary>
    public static CertificateRequest Authority(ECDsa key)
    {
        var request = new CertificateRequest(AuthoritySubject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority(pathLengthConstraint: 0));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request;
    }

    /// <summary>The coordinator's request: serverAuth, and each of <paramref name="hosts"/> (IP address or DNS name) as a SAN.</summary>
    /// <exception cref="ArgumentException">A host is neither an IP address nor a DNS name.</exception>
    public static CertificateRequest Server(ECDsa key, IEnumerable<string> hosts, X509Certificate2 authority)
    {
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            if (!IsHost(host)) throw new ArgumentException($"'{host}' is neither an IP address nor a DNS name.", nameof(hosts));
            if (IPAddress.TryParse(host, out var ip)) names.AddIpAddress(ip);
            else names.AddDnsName(host);
        }
        var request = EndEntity(Subject("coordinator"), key, FederationTrust.ServerAuthentication, authority);
        request.CertificateExtensions.Add(names.Build());
        return request;
    }

    /// <summary>Whether <paramref name="host"/> can be a subject alternative name: an IP address or a DNS name (no wildcards).</summary>
    public static bool IsHost(string host) => IPAddress.TryParse(host, out _) || Uri.CheckHostName(host) == UriHostNameType.Dns;

    /// <summary>A node's, operator's or researcher's request: clientAuth, <c>CN=name, OU=role, O=FederatedCare</c>.</summary>
    public static CertificateRequest Client(ECDsa key, FederationIdentity identity, X509Certificate2 authority) =>
        EndEntity(identity.ToSubject(), key, FederationTrust.ClientAuthentication, authority);

    private static CertificateRequest EndEntity(X500DistinguishedName subject, ECDsa key, Oid usage, X509Certificate2 authority)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForEndEntity(critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority,
            includeKeyIdentifier: true, includeIssuerAndSerial: false));
        return request;
    }

    private static X500DistinguishedName Subject(string commonName)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddOrganizationName(FederationIdentity.Organization);
        builder.AddCommonName(commonName);
        return builder.Build();
    }
}
