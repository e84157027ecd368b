using System.Security.Cryptography;
using System.Text;

namespace FederatedCare.Protos.Security;

/// <summary>
/// What the TLS reloaders (the coordinator's and the node agent's) compare between polls: a SHA-256 over each file's
/// path and contents. Contents rather than timestamps, so a copy that keeps the old modification time still counts.
/// </summary>
public static class FileFingerprint
{
    /// <summary>The fingerprint of <paramref name="paths"/> (blank ones skipped; a missing or unreadable file hashes as such).</summary>
    public static string Of(params IEnumerable<string?> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in paths)
        {
            if (string.IsNullOrWhiteSpace(path)) continue;
            hash.AppendData(Encoding.UTF8.GetBytes(path + "\n"));
            try
            {
                hash.AppendData(File.Exists(path) ? File.ReadAllBytes(path) : "missing"u8);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                hash.AppendData("unreadable"u8);
            }
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
