using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FederatedCare.Protos.Security;

namespace FederatedCare.Cli.Provisioning;

/// <summary>
/// The federation's certificate authority: a self-signed certificate with its private key, which signs the
/// coordinator's and every client's certificate. Whoever holds the key can mint any identity, operators included.
/// </summary>
public sealed class FederationCa : IDisposable
{
    private FederationCa(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>A new CA with a new P-256 key, valid from <paramref name="notBefore"/> to <paramref name="notAfter"/>.</summary>
    public static FederationCa Create(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new FederationCa(CertificateProfiles.Authority(key).CreateSelfSigned(notBefore, notAfter));
    }

    /// <summary>An existing CA from its PEM certificate and key (e.g. <c>ca.pem</c>, <c>ca-key.pem</c>).</summary>
    /// <exception cref="TlsConfigurationException">A file is missing or not PEM.</exception>
    public static FederationCa Load(string certificatePath, string keyPath) =>
        new(PemFiles.LoadCertificateWithKey(certificatePath, keyPath, "CA certificate", "CA key"));

    /// <summary>The coordinator's certificate, with a new key, for <paramref name="hosts"/>.</summary>
    public X509Certificate2 IssueServer(IEnumerable<string> hosts, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Sign(CertificateProfiles.Server(key, hosts, Certificate), key, notBefore, notAfter);
    }

    /// <summary>A client certificate, with a new key, for <paramref name="identity"/>.</summary>
    public X509Certificate2 IssueClient(FederationIdentity identity, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Sign(CertificateProfiles.Client(key, identity, Certificate), key, notBefore, notAfter);
    }

    /// <summary>
    /// A new revocation list (PEM): the entries of <paramref name="current"/> (a list this CA signed, already verified;
    /// null when there is none yet) plus <paramref name="revoked"/> (serial numbers, big-endian), revoked at
    /// <paramref name="now"/>, with the CRL number one higher than the current one and the next update at
    /// <paramref name="nextUpdate"/>. Signed with the CA key (ECDSA, SHA-256).
    /// </summary>
    /// <returns>The PEM text and its CRL number.</returns>
    public (string Pem, BigInteger Number) SignRevocationList(string? current, IEnumerable<byte[]> revoked, DateTimeOffset now, DateTimeOffset nextUpdate)
    {
        BigInteger number = 0;
        var builder = current is null ? new CertificateRevocationListBuilder() : CertificateRevocationListBuilder.LoadPem(current, out number);
        foreach (var serial in revoked) builder.AddEntry(serial, now);
        var der = builder.Build(Certificate, number + 1, nextUpdate, HashAlgorithmName.SHA256, thisUpdate: now);
        return (PemEncoding.WriteString(RevocationList.PemLabel, der) + "\n", number + 1);
    }

    /// <inheritdoc />
    public void Dispose() => Certificate.Dispose();

    private X509Certificate2 Sign(CertificateRequest request, ECDsa key, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var signed = request.Create(Certificate, notBefore, notAfter, SerialNumber());
        return signed.CopyWithPrivateKey(key);
    }

    // 16 random bytes, the first in 0x40..0x7F: positive and minimally encoded, as RFC 5280 asks.
    private static byte[] SerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x3F) | 0x40);
        return serial;
    }
}
