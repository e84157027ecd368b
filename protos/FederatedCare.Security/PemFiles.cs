using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FederatedCare.Protos.Security;

/// <summary>
/// Loads the PEM files TLS settings name, turning every failure into a <see cref="TlsConfigurationException"/> that
/// names the setting (e.g. <c>NodeAgent:Tls:KeyPath</c> or <c>--key</c>) and the path.
/// </summary>
public static class PemFiles
{
    /// <summary>A certificate (first PEM block of <paramref name="certificatePath"/>) with its private key (PKCS#8, SEC1 or PKCS#1 PEM).</summary>
    /// <param name="certificatePath">The certificate file.</param>
    /// <param name="keyPath">The unencrypted private key file.</param>
    /// <param name="certificateSetting">How the user named the certificate file, for messages.</param>
    /// <param name="keySetting">How the user named the key file, for messages.</param>
    /// <exception cref="TlsConfigurationException">A file is missing, unreadable, holds no PEM, or the key does not match.</exception>
    public static X509Certificate2 LoadCertificateWithKey(string certificatePath, string keyPath, string certificateSetting, string keySetting)
    {
        RequireFile(certificatePath, certificateSetting);
        RequireFile(keyPath, keySetting);
        try
        {
            return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new TlsConfigurationException(
                $"{certificateSetting} '{certificatePath}' and {keySetting} '{keyPath}' are not a matching PEM certificate and private key: {OneLine(e)}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TlsConfigurationException($"{certificateSetting} '{certificatePath}' or {keySetting} '{keyPath}' cannot be read: {OneLine(e)}", e);
        }
    }

    /// <summary>Every certificate in a PEM file, e.g. the federation CA (two during a change of CA).</summary>
    /// <exception cref="TlsConfigurationException">The file is missing, unreadable, or holds no PEM certificate.</exception>
    public static X509Certificate2Collection LoadCertificates(string path, string setting)
    {
        RequireFile(path, setting);
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (CryptographicException e)
        {
            throw new TlsConfigurationException($"{setting} '{path}' is not a PEM certificate file: {OneLine(e)}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TlsConfigurationException($"{setting} '{path}' cannot be read: {OneLine(e)}", e);
        }
        if (certificates.Count == 0) throw new TlsConfigurationException($"{setting} '{path}' holds no PEM certificate.");
        return certificates;
    }

    private static void RequireFile(string path, string setting)
    {
        if (!File.Exists(path)) throw new TlsConfigurationException($"{setting}: file '{path}' does not exist.");
    }

    private static string OneLine(Exception e) => e.Message.ReplaceLineEndings(" ").Trim();
}
