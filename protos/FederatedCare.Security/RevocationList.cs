using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FederatedCare.Protos.Security;

/// <summary>
/// The federation's certificate revocation list: an X.509 v2 CRL (RFC 5280, section 5) in PEM, signed by the
/// federation CA, which <c>fedcare provision --revoke</c> writes and the coordinator reads. Only what revocation needs
/// is read (issuer, this update, next update, the revoked serial numbers); the signature must verify with the public key of the CA
/// certificate the issuer names, so nobody without the CA key can revoke, or un-revoke, a certificate.
/// </summary>
public sealed class RevocationList
{
    /// <summary>The PEM label of a CRL.</summary>
    public const string PemLabel = "X509 CRL";

    private static readonly Dictionary<string, HashAlgorithmName> EcdsaSignatures = new(StringComparer.Ordinal)
    {
        ["1.2.840.10045.4.3.2"] = HashAlgorithmName.SHA256,
        ["1.2.840.10045.4.3.3"] = HashAlgorithmName.SHA384,
        ["1.2.840.10045.4.3.4"] = HashAlgorithmName.SHA512,
    };

    private readonly HashSet<string> _serials;

    private RevocationList(X500DistinguishedName issuer, DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate, HashSet<string> serials)
    {
        Issuer = issuer;
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
        _serials = serials;
    }

    /// <summary>The CA that signed the list.</summary>
    public X500DistinguishedName Issuer { get; }

    /// <summary>When the list was issued.</summary>
    public DateTimeOffset ThisUpdate { get; }

    /// <summary>
    /// When the CA promised a newer list (<c>fedcare provision --revoke --days</c>); null when the list names none. Past
    /// it, the list is stale: revocations made since may be missing from it.
    /// </summary>
    public DateTimeOffset? NextUpdate { get; }

    /// <summary>The revoked serial numbers as upper-case hex, as <see cref="X509Certificate.GetSerialNumberString"/> writes them.</summary>
    public IReadOnlySet<string> Serials => _serials;

    /// <summary>Whether <paramref name="certificate"/> was issued by this list's CA and is on the list.</summary>
    public bool IsRevoked(X509Certificate2 certificate) => IsRevoked(certificate.IssuerName.RawData, certificate.SerialNumber);

    /// <summary>Whether the certificate with issuer <paramref name="issuer"/> (DER) and serial <paramref name="serial"/> (hex) is on the list.</summary>
    public bool IsRevoked(ReadOnlySpan<byte> issuer, string serial) =>
        issuer.SequenceEqual(Issuer.RawData) && _serials.Contains(serial.ToUpperInvariant());

    /// <summary>Reads and verifies the PEM CRL at <paramref name="path"/> against <paramref name="federationCa"/>.</summary>
    /// <param name="path">The CRL file, e.g. <c>crl.pem</c>.</param>
    /// <param name="federationCa">The CA certificates one of which must have signed the list.</param>
    /// <param name="setting">How the user named the file, for messages (e.g. <c>Coordinator:Tls:RevocationList</c>).</param>
    /// <exception cref="TlsConfigurationException">The file is missing, unreadable, not a PEM CRL, or not signed by the federation CA.</exception>
    public static RevocationList Load(string path, X509Certificate2Collection federationCa, string setting)
    {
        if (!File.Exists(path)) throw new TlsConfigurationException($"{setting}: file '{path}' does not exist.");
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TlsConfigurationException($"{setting} '{path}' cannot be read: {OneLine(e)}", e);
        }
        return Parse(pem, federationCa, $"{setting} '{path}'");
    }

    /// <summary>Reads and verifies a PEM CRL; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="TlsConfigurationException">Not a PEM CRL, or not signed by one of <paramref name="federationCa"/>.</exception>
    public static RevocationList Parse(string pem, X509Certificate2Collection federationCa, string source)
    {
        ArgumentNullException.ThrowIfNull(pem);
        ArgumentNullException.ThrowIfNull(federationCa);
        if (!PemEncoding.TryFind(pem, out var fields) || pem[fields.Label] is not PemLabel)
            throw new TlsConfigurationException($"{source} holds no PEM block '-----BEGIN {PemLabel}-----'.");
        try
        {
            var der = Convert.FromBase64String(pem[fields.Base64Data].ToString());
            var (tbs, algorithm, signature) = ReadSignedList(der);
            var (issuer, thisUpdate, nextUpdate, serials) = ReadToBeSigned(tbs);
            var authority = federationCa.FirstOrDefault(c => c.SubjectName.RawData.AsSpan().SequenceEqual(issuer.RawData))
                ?? throw new TlsConfigurationException(
                    $"{source} is issued by '{issuer.Name}', which is not the federation CA ({string.Join(" / ", federationCa.Select(c => c.Subject))}).");
            if (!EcdsaSignatures.TryGetValue(algorithm, out var hash))
                throw new TlsConfigurationException($"{source} is signed with algorithm {algorithm}; the federation CA signs with ECDSA.");
            using var key = authority.GetECDsaPublicKey()
                ?? throw new TlsConfigurationException($"{source}: the federation CA '{authority.Subject}' has no ECDSA key.");
            if (!key.VerifyData(tbs.Span, signature, hash, DSASignatureFormat.Rfc3279DerSequence))
                throw new TlsConfigurationException($"{source} does not carry a valid signature of the federation CA '{authority.Subject}'.");
            return new RevocationList(issuer, thisUpdate, nextUpdate, serials);
        }
        catch (Exception e) when (e is AsnContentException or FormatException or CryptographicException)
        {
            throw new TlsConfigurationException($"{source} is not a valid X.509 CRL: {OneLine(e)}", e);
        }
    }

    // CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING }
    private static (ReadOnlyMemory<byte> Tbs, string Algorithm, byte[] Signature) ReadSignedList(byte[] der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var list = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var tbs = list.ReadEncodedValue();
        var algorithm = list.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        var signature = list.ReadBitString(out int unusedBits);
        list.ThrowIfNotEmpty();
        if (unusedBits != 0) throw new AsnContentException("The signature is not a whole number of bytes.");
        return (tbs, oid, signature);
    }

    // TBSCertList ::= SEQUENCE { version INTEGER OPTIONAL, signature, issuer Name, thisUpdate Time, nextUpdate Time
    // OPTIONAL, revokedCertificates SEQUENCE OF SEQUENCE { userCertificate INTEGER, revocationDate Time, ... } OPTIONAL,
    // crlExtensions [0] OPTIONAL }
    private static (X500DistinguishedName Issuer, DateTimeOffset ThisUpdate, DateTimeOffset? NextUpdate, HashSet<string> Serials) ReadToBeSigned(ReadOnlyMemory<byte> encoded)
    {
        var tbs = new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer)) tbs.ReadInteger();
        tbs.ReadSequence();
        var issuer = new X500DistinguishedName(tbs.ReadEncodedValue().Span);
        var thisUpdate = ReadTime(tbs);
        DateTimeOffset? nextUpdate = tbs.HasData && IsTime(tbs.PeekTag()) ? ReadTime(tbs) : null;
        var serials = new HashSet<string>(StringComparer.Ordinal);
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var revoked = tbs.ReadSequence();
            while (revoked.HasData)
                serials.Add(Convert.ToHexString(revoked.ReadSequence().ReadIntegerBytes().Span));
        }
        return (issuer, thisUpdate, nextUpdate, serials);
    }

    private static bool IsTime(Asn1Tag tag) => tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();

    private static string OneLine(Exception e) => e.Message.ReplaceLineEndings(" ").Trim();
}
