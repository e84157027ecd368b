using System.Security.Cryptography.X509Certificates;
using FederatedCare.Protos.Security;

namespace FederatedCare.Coordinator.Security;

/// <summary>The coordinator's server certificate with its key, and the federation CA that client certificates must chain to.</summary>
internal sealed class TlsCredentials(X509Certificate2 serverCertificate, X509Certificate2Collection clientCa)
{
    public X509Certificate2 ServerCertificate { get; } = serverCertificate;

    public X509Certificate2Collection ClientCa { get; } = clientCa;

    /// <summary>Loads the files <paramref name="options"/> name.</summary>
    /// <exception cref="TlsConfigurationException">A path is missing, or its file is missing or not PEM.</exception>
    public static TlsCredentials Load(TlsOptions options)
    {
        const string s = TlsOptions.SectionName;
        var certificate = Require(options.CertificatePath, $"{s}:{nameof(TlsOptions.CertificatePath)}");
        var key = Require(options.KeyPath, $"{s}:{nameof(TlsOptions.KeyPath)}");
        var ca = Require(options.ClientCaPath, $"{s}:{nameof(TlsOptions.ClientCaPath)}");
        return new TlsCredentials(
            PemFiles.LoadCertificateWithKey(certificate, key, $"{s}:{nameof(TlsOptions.CertificatePath)}", $"{s}:{nameof(TlsOptions.KeyPath)}"),
            PemFiles.LoadCertificates(ca, $"{s}:{nameof(TlsOptions.ClientCaPath)}"));
    }

    private static string Require(string? path, string setting) => string.IsNullOrWhiteSpace(path)
        ? throw new TlsConfigurationException(
            $"{setting} is not set; mutual TLS needs {TlsOptions.SectionName}:CertificatePath, KeyPath and ClientCaPath together.")
        : path;
}
