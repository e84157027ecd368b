using System.Security.Cryptography.X509Certificates;
using FederatedCare.Protos.Security;

namespace FederatedCare.Cli.Provisioning;

/// <summary>A certificate <c>fedcare provision --revoke</c> names: by its holder, whose certificate file is in the folder, or by serial number.</summary>
/// <param name="Identity">The holder, when named (or found) by name; null for a bare serial number.</param>
/// <param name="Serial">The serial number, upper-case hex as X.509 tools print it.</param>
public sealed record RevocationTarget(FederationIdentity? Identity, string Serial)
{
    // A serial number this federation issues has 32 hex digits; fewer than 8 is more likely a mistyped name.
    private const int MinimumSerialDigits = 8;

    /// <summary>The serial number as bytes, big-endian.</summary>
    public byte[] SerialBytes => Convert.FromHexString(Serial);

    /// <summary>
    /// Resolves <paramref name="value"/>: <c>ROLE:NAME</c> (e.g. <c>node:Karolinska</c>), a bare name whose certificate
    /// file exists for exactly one role (e.g. <c>Karolinska</c> → <c>node-karolinska.pem</c>), or a serial number in hex
    /// (colons allowed). A named certificate must have been issued by <paramref name="ca"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No such certificate, a name two roles share, or a certificate of another CA; the message says which.</exception>
    public static RevocationTarget Resolve(PkiFiles files, string value, X509Certificate2 ca)
    {
        var text = value.Trim();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && FederationRoles.All.Contains(text[..colon], StringComparer.Ordinal))
            return FromFile(files, new FederationIdentity(text[..colon], text[(colon + 1)..]), ca, value);
        var named = FederationRoles.All.Select(role => new FederationIdentity(role, text)).Where(i => File.Exists(files.ClientCertificate(i))).ToList();
        if (named.Count > 1)
            throw new InvalidOperationException(
                $"--revoke '{value}' names {string.Join(" and ", named)}: say which, e.g. --revoke {named[0]}.");
        if (named.Count == 1) return FromFile(files, named[0], ca, value);
        var hex = text.Replace(":", "", StringComparison.Ordinal).ToUpperInvariant();
        if (hex.Length >= MinimumSerialDigits && hex.All(Uri.IsHexDigit))
            return new RevocationTarget(null, hex.Length % 2 == 0 ? hex : "0" + hex);
        var looked = FederationRoles.All.Select(role => Path.GetFileName(files.ClientCertificate(new FederationIdentity(role, text))));
        throw new InvalidOperationException(
            $"--revoke '{value}': no certificate of that name in '{files.Directory}' (none of {string.Join(", ", looked)}) " +
            $"and not a serial number (at least {MinimumSerialDigits} hex digits).");
    }

    private static RevocationTarget FromFile(PkiFiles files, FederationIdentity identity, X509Certificate2 ca, string value)
    {
        var path = files.ClientCertificate(identity);
        if (!File.Exists(path)) throw new InvalidOperationException($"--revoke '{value}': '{path}' does not exist.");
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(path);
        if (!certificate.IssuerName.RawData.AsSpan().SequenceEqual(ca.SubjectName.RawData))
            throw new InvalidOperationException($"--revoke '{value}': '{path}' was issued by '{certificate.Issuer}', not by this folder's CA.");
        return new RevocationTarget(identity, certificate.SerialNumber);
    }
}
