using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using FederatedCare.Protos.Security;

namespace FederatedCare.Cli.Provisioning;

/// <summary>
/// The files of a provisioned federation in one folder, and how they are written: certificates as PEM readable by
/// all, private keys as PKCS#8 PEM that only the owner may read or write (0600).
/// </summary>
/// <param name="Directory">The folder.</param>
public sealed record PkiFiles(string Directory)
{
    /// <summary>The federation CA certificate: every party gets a copy.</summary>
    public string CaCertificate => Path.Combine(Directory, "ca.pem");

    /// <summary>The CA's private key: belongs offline.</summary>
    public string CaKey => Path.Combine(Directory, "ca-key.pem");

    /// <summary>The CA's revocation list (X.509 CRL, PEM): <c>Coordinator:Tls:RevocationList</c> reads a copy.</summary>
    public string RevocationList => Path.Combine(Directory, "crl.pem");

    /// <summary>Every certificate issued and revoked from this folder, one line each (<see cref="ProvisionLog"/>).</summary>
    public string Log => Path.Combine(Directory, "provision.log");

    /// <summary>The coordinator's certificate.</summary>
    public string ServerCertificate => Path.Combine(Directory, "coordinator.pem");

    /// <summary>The coordinator's private key.</summary>
    public string ServerKey => Path.Combine(Directory, "coordinator-key.pem");

    /// <summary>A client's certificate, e.g. <c>node-orebro.pem</c> for node Örebro.</summary>
    public string ClientCertificate(FederationIdentity identity) => Path.Combine(Directory, $"{Stem(identity)}.pem");

    /// <summary>A client's private key, e.g. <c>node-orebro-key.pem</c>.</summary>
    public string ClientKey(FederationIdentity identity) => Path.Combine(Directory, $"{Stem(identity)}-key.pem");

    /// <summary>
    /// <c>role-name</c> with the name lower-cased and its accents dropped (Örebro → orebro), characters other than
    /// letters, digits, '.', '_' and '-' replaced by '-': file names that need no quoting in a shell.
    /// </summary>
    public static string Stem(FederationIdentity identity)
    {
        var name = new StringBuilder();
        foreach (var c in identity.Name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            name.Append(char.IsLetterOrDigit(c) || c is '.' or '_' or '-' ? char.ToLowerInvariant(c) : '-');
        }
        return $"{identity.Role}-{name.ToString().Normalize(NormalizationForm.FormC)}";
    }

    /// <summary>Writes <paramref name="certificate"/>'s PEM to <paramref name="certificatePath"/> and its private key to <paramref name="keyPath"/> (0600).</summary>
    public static void Write(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
        using var key = certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException($"The certificate for {certificatePath} has no ECDSA private key.");
        // Created with mode 0600 rather than chmod-ed after: the key is never readable by others, not even briefly.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        File.Delete(keyPath);
        using var stream = new FileStream(keyPath, options);
        using var writer = new StreamWriter(stream);
        writer.Write(key.ExportPkcs8PrivateKeyPem() + "\n");
    }
}
