using System.Security.Cryptography.X509Certificates;
using FederatedCare.Protos.Security;

namespace FederatedCare.Coordinator.Security;

/// <summary>
/// One consistent set of the coordinator's TLS material: its server certificate with key, the federation CA that client
/// certificates must chain to, and the CA's revocation list (null when <see cref="TlsOptions.RevocationList"/> is unset).
/// Immutable: a reload builds a whole new set and <see cref="TlsCredentialsHolder"/> swaps it in, so a handshake never
/// sees a new certificate with an old key or a list checked against another CA.
/// </summary>
internal sealed class TlsCredentials(X509Certificate2 serverCertificate, X509Certificate2Collection clientCa, RevocationList? revocations)
{
    public X509Certificate2 ServerCertificate { get; } = serverCertificate;

    public X509Certificate2Collection ClientCa { get; } = clientCa;

    public RevocationList? Revocations { get; } = revocations;

    /// <summary>Whether the revocation list names <paramref name="certificate"/>.</summary>
    public bool IsRevoked(X509Certificate2 certificate) => Revocations?.IsRevoked(certificate) == true;

    /// <summary>Whether the revocation list names the certificate a node registered with.</summary>
    public bool IsRevoked(PeerCertificate certificate) => Revocations?.IsRevoked(certificate.Issuer, certificate.Serial) == true;

    /// <summary>Loads the files <paramref name="options"/> name; the revocation list must be signed by the CA loaded with it.</summary>
    /// <exception cref="TlsConfigurationException">A path is missing, or its file is missing, not PEM, or (the list) not signed by the CA.</exception>
    public static TlsCredentials Load(TlsOptions options)
    {
        const string s = TlsOptions.SectionName;
        var certificate = Require(options.CertificatePath, $"{s}:{nameof(TlsOptions.CertificatePath)}");
        var key = Require(options.KeyPath, $"{s}:{nameof(TlsOptions.KeyPath)}");
        var ca = Require(options.ClientCaPath, $"{s}:{nameof(TlsOptions.ClientCaPath)}");
        var server = PemFiles.LoadCertificateWithKey(certificate, key, $"{s}:{nameof(TlsOptions.CertificatePath)}", $"{s}:{nameof(TlsOptions.KeyPath)}");
        var clientCa = PemFiles.LoadCertificates(ca, $"{s}:{nameof(TlsOptions.ClientCaPath)}");
        var revocations = string.IsNullOrWhiteSpace(options.RevocationList)
            ? null
            : RevocationList.Load(options.RevocationList, clientCa, $"{s}:{nameof(TlsOptions.RevocationList)}");
        return new TlsCredentials(server, clientCa, revocations);
    }

    private static string Require(string? path, string setting) => string.IsNullOrWhiteSpace(path)
        ? throw new TlsConfigurationException(
            $"{setting} is not set; mutual TLS needs {TlsOptions.SectionName}:CertificatePath, KeyPath and ClientCaPath together.")
        : path;
}
