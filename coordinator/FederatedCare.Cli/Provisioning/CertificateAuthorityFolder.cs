using FederatedCare.Protos.Security;

namespace FederatedCare.Cli.Provisioning;

/// <summary>The CA of an existing PKI folder (<c>--ca-dir</c>), for issuing and revoking after the first provisioning.</summary>
public static class CertificateAuthorityFolder
{
    /// <summary>Loads <c>ca.pem</c> and <c>ca-key.pem</c> from <paramref name="files"/>' folder.</summary>
    /// <exception cref="InvalidOperationException">The folder has no CA (<see cref="TlsConfigurationException"/>: a file is missing, unreadable or does not match).</exception>
    public static FederationCa Load(PkiFiles files)
    {
        if (!File.Exists(files.CaCertificate) || !File.Exists(files.CaKey))
            throw new InvalidOperationException(
                $"--ca-dir '{files.Directory}' holds no CA (ca.pem and ca-key.pem): create one with fedcare provision --out, " +
                "or bring the CA key back from its offline copy.");
        return FederationCa.Load(files.CaCertificate, files.CaKey);
    }
}
