using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace FederatedCare.NodeAgent.Training;

/// <summary>
/// The seed of a round's mini-batch shuffling, derived from (job seed, round, region) with SHA-256: stable across
/// processes and platforms (unlike <see cref="string.GetHashCode()"/>), different per round and per region, so
/// the same task always produces a bit-identical update.
/// </summary>
public static class ShuffleSeed
{
    /// <summary>A non-negative 63-bit seed for torch's generator.</summary>
    public static long Derive(long jobSeed, int round, string region)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"federatedcare/shuffle/{jobSeed}/{round}/{region}"));
        return (long)(BinaryPrimitives.ReadUInt64LittleEndian(bytes) & long.MaxValue);
    }
}
