using System.Buffers.Binary;
using System.Security.Cryptography;
using MathNet.Numerics.Random;

namespace FederatedCare.Federation.Core.Privacy;

/// <summary>
/// A reproducible random source that no one without its 256-bit key can predict: AES-256 in counter mode (NIST SP
/// 800-38A, §6.5), the keystream AES_K(0) ‖ AES_K(1) ‖ … read as little-endian 64-bit words, a double taking the top
/// 53 bits. Differential privacy needs noise the adversary cannot reproduce: MathNet.Numerics' seeded generators take a
/// 32-bit seed, which anyone could search exhaustively and then subtract the noise, so this source feeds
/// MathNet's <see cref="MathNet.Numerics.Distributions.Normal"/> sampler instead. Not thread-safe: one per round.
/// </summary>
public sealed class KeyedRandomSource : RandomSource, IDisposable
{
    private const int BufferBytes = 4096;
    private readonly Aes _aes = Aes.Create();
    private readonly byte[] _counters = new byte[BufferBytes];
    private readonly byte[] _keystream = new byte[BufferBytes];
    private ulong _nextBlock;
    private int _position = BufferBytes;

    /// <summary>A source whose stream is determined by <paramref name="key"/> (32 bytes).</summary>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public KeyedRandomSource(ReadOnlySpan<byte> key) : base(threadSafe: false)
    {
        if (key.Length != 32) throw new ArgumentException($"The key must be 32 bytes, got {key.Length}.", nameof(key));
        _aes.Key = key.ToArray();
    }

    /// <inheritdoc/>
    public void Dispose() => _aes.Dispose();

    /// <summary>A double in [0, 1) with 53 random bits.</summary>
    protected override double DoSample() => (NextWord() >> 11) * (1.0 / (1UL << 53));

    /// <summary>An integer in [0, int.MaxValue).</summary>
    protected override int DoSampleInteger()
    {
        while (true)
        {
            int value = (int)(NextWord() >> 33);
            if (value != int.MaxValue) return value;
        }
    }

    /// <inheritdoc/>
    protected override void DoSampleBytes(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        for (int i = 0; i < buffer.Length; i++) buffer[i] = (byte)(NextWord() >> 56);
    }

    /// <inheritdoc/>
    protected override int DoSampleInt32WithNBits(int bitCount) => bitCount == 0 ? 0 : (int)(NextWord() >> (64 - bitCount));

    /// <inheritdoc/>
    protected override long DoSampleInt64WithNBits(int bitCount) => bitCount == 0 ? 0 : (long)(NextWord() >> (64 - bitCount));

    private ulong NextWord()
    {
        if (_position == BufferBytes) Refill();
        ulong word = BinaryPrimitives.ReadUInt64LittleEndian(_keystream.AsSpan(_position));
        _position += sizeof(ulong);
        return word;
    }

    // Encrypts the next BufferBytes / 16 counter blocks (the counter in a block's first 8 bytes, the rest zero).
    private void Refill()
    {
        for (int offset = 0; offset < BufferBytes; offset += 16)
            BinaryPrimitives.WriteUInt64LittleEndian(_counters.AsSpan(offset), _nextBlock++);
        _aes.EncryptEcb(_counters, _keystream, PaddingMode.None);
        _position = 0;
    }
}
