using System.IO.Hashing;
using System.Security.Cryptography;
using FederatedCare.Protos.V1;

namespace FederatedCare.Protos.Wire;

/// <summary>
/// The running hash of a model payload that its manifest announces: SHA-256 (global models: their version id), or
/// XXH3-128 (updates that carry only that). Fed the wire bytes in order, in any chunking.
/// </summary>
public sealed class PayloadHasher : IDisposable
{
    private readonly IncrementalHash? _sha256;
    private readonly XxHash128? _xxh3;

    /// <summary>Starts the hash <paramref name="manifest"/> announces.</summary>
    /// <exception cref="InvalidDataException">The manifest announces no hash.</exception>
    public PayloadHasher(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Sha256.Length > 0) (_sha256, Name, Expected) = (IncrementalHash.CreateHash(HashAlgorithmName.SHA256), "SHA-256", manifest.Sha256);
        else if (manifest.Xxh3128.Length > 0) (_xxh3, Name, Expected) = (new XxHash128(), "XXH3-128", manifest.Xxh3128);
        else throw new InvalidDataException("The manifest announces no hash (sha256 or xxh3_128).");
    }

    /// <summary>"SHA-256" or "XXH3-128".</summary>
    public string Name { get; }

    /// <summary>The hash the manifest announces (hex).</summary>
    public string Expected { get; }

    /// <summary>Hashes the next payload bytes.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (_sha256 is not null) _sha256.AppendData(data);
        else _xxh3!.Append(data);
    }

    /// <summary>Checks the payload's hash against the manifest's.</summary>
    /// <exception cref="InvalidDataException">They differ; the message gives both.</exception>
    public void Check()
    {
        var actual = Convert.ToHexStringLower(_sha256?.GetHashAndReset() ?? _xxh3!.GetHashAndReset());
        if (!string.Equals(actual, Expected, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{Name} mismatch: manifest {Expected}, payload {actual}.");
    }

    /// <inheritdoc/>
    public void Dispose() => _sha256?.Dispose();
}
