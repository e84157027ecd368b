using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FederatedCare.Federation.Core.Privacy;

/// <summary>
/// The coordinator's secret for differential-privacy noise: 32 random bytes in a key file (by default
/// <c>&lt;DataDirectory&gt;/privacy-noise.key</c>), created on first use and never sent anywhere. Each round's noise
/// comes from <see cref="KeyedRandomSource"/> keyed with HMAC-SHA256(secret, job id ‖ job seed ‖ round), so
/// <list type="bullet">
/// <item>a job is reproducible: the same job id, seed and round on a coordinator with the same key file draw the same
/// noise (copy the file to reproduce a job elsewhere);</item>
/// <item>nobody who knows only the job spec (seed included, readable through the Research service) can recompute the
/// noise and subtract it, which would void the guarantee;</item>
/// <item>two jobs never share noise, even with the same seed: the difference of two models noised alike would
/// cancel the noise, and the per-job ε assumes independent noise.</item>
/// </list>
/// </summary>
public sealed class NoiseKey
{
    private const int KeyBytes = 32;
    private readonly Lazy<byte[]> _secret;

    /// <summary>The key in <paramref name="path"/>, created with 32 bytes from the OS's CSPRNG when the file does not exist.</summary>
    public NoiseKey(string path) => _secret = new Lazy<byte[]>(() => LoadOrCreate(path), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A key given directly (tests).</summary>
    /// <exception cref="ArgumentException">Not 32 bytes.</exception>
    public NoiseKey(byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length != KeyBytes) throw new ArgumentException($"The noise key must be {KeyBytes} bytes, got {secret.Length}.", nameof(secret));
        var copy = (byte[])secret.Clone();
        _secret = new Lazy<byte[]>(() => copy);
    }

    /// <summary>The noise source of one round of one job.</summary>
    /// <exception cref="InvalidDataException">The key file exists but does not hold 32 bytes.</exception>
    public KeyedRandomSource ForRound(string jobId, long seed, int round)
    {
        var context = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"federatedcare/dp-noise/v1\n{jobId}\n{seed}\n{round}"));
        return new KeyedRandomSource(HMACSHA256.HashData(_secret.Value, context));
    }

    private static byte[] LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            var fresh = RandomNumberGenerator.GetBytes(KeyBytes);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var temporary = path + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var file = new FileStream(temporary, options))
            {
                file.Write(fresh);
                file.Flush(flushToDisk: true);
            }
            // Atomic: a crash leaves either no key or a whole one; never overwrite a key another start wrote meanwhile.
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }
        var secret = File.ReadAllBytes(path);
        return secret.Length == KeyBytes ? secret
            : throw new InvalidDataException($"The privacy noise key '{path}' holds {secret.Length} bytes, not {KeyBytes}.");
    }
}
