using System.Numerics.Tensors;
using FederatedCare.Protos.V1;

namespace FederatedCare.Protos.Wire;

/// <summary>
/// Decodes a model payload (tensors' encoded bytes concatenated in manifest order) into float32 arrays as data chunks
/// arrive, in any chunking (a chunk may end inside an element), hashing the wire bytes (SHA-256, or XXH3-128 for
/// updates whose manifest carries only that) and, when asked,
/// rejecting a non-finite value as soon as the chunk holding it arrives. One copy per byte: wire → destination.
/// </summary>
public sealed class TensorPayloadWriter : IDisposable
{
    private readonly ModelManifest _manifest;
    private readonly ManifestLayout _layout;
    private readonly float[][] _destinations;
    private readonly bool _checkFinite;
    private readonly PayloadHasher _hash;
    private readonly byte[] _carry = new byte[4]; // the bytes of an element split across two chunks
    private int _carryLength;
    private long _received;
    private int _tensor;
    private int _element; // elements written into the current tensor

    /// <summary>Writes into <paramref name="destinations"/>, one array per manifest tensor of its element count.</summary>
    /// <param name="manifest">The manifest, already checked into <paramref name="layout"/>.</param>
    /// <param name="layout">The manifest's checked layout.</param>
    /// <param name="destinations">float32 arrays, one per tensor, each exactly the tensor's element count.</param>
    /// <param name="checkFinite">Reject NaN and ±infinity (InvalidDataException naming tensor and index).</param>
    /// <exception cref="ArgumentException">The destinations do not match the layout.</exception>
    /// <exception cref="InvalidDataException">The manifest announces no hash.</exception>
    public TensorPayloadWriter(ModelManifest manifest, ManifestLayout layout, float[][] destinations, bool checkFinite)
    {
        if (destinations.Length != layout.Counts.Count || destinations.Where((d, i) => d.LongLength != layout.Counts[i]).Any())
            throw new ArgumentException("The destination arrays do not match the manifest's tensors.", nameof(destinations));
        (_manifest, _layout, _destinations, _checkFinite) = (manifest, layout, destinations, checkFinite);
        _hash = new PayloadHasher(manifest);
        SkipFinishedTensors();
    }

    /// <summary>Payload bytes received so far.</summary>
    public long Received => _received;

    /// <summary>Decodes one data chunk.</summary>
    /// <exception cref="InvalidDataException">More bytes than the manifest announced, or a non-finite value.</exception>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (_received + data.Length > _layout.TotalBytes)
            throw new InvalidDataException($"The stream carries more than the {_layout.TotalBytes} bytes announced.");
        _hash.Append(data);
        _received += data.Length;
        while (data.Length > 0)
        {
            int size = UpdateEncoding.ElementSize(_layout.DTypes[_tensor]);
            if (_carryLength > 0 || data.Length < size)
            {
                int take = Math.Min(size - _carryLength, data.Length);
                data[..take].CopyTo(_carry.AsSpan(_carryLength));
                _carryLength += take;
                data = data[take..];
                if (_carryLength == size)
                {
                    Write(_carry.AsSpan(0, size), 1);
                    _carryLength = 0;
                }
                continue;
            }
            int count = (int)Math.Min(data.Length / size, _destinations[_tensor].Length - _element);
            Write(data[..(count * size)], count);
            data = data[(count * size)..];
        }
    }

    /// <summary>Checks size and hash (SHA-256, or XXH3-128 when the manifest gives only that) against the manifest.</summary>
    /// <exception cref="InvalidDataException">Truncated stream or hash mismatch.</exception>
    public void Complete()
    {
        if (_received != _layout.TotalBytes)
            throw new InvalidDataException($"The stream ended after {_received} of {_layout.TotalBytes} bytes.");
        _hash.Check();
    }

    /// <inheritdoc/>
    public void Dispose() => _hash.Dispose();

    private void Write(ReadOnlySpan<byte> bytes, int count)
    {
        var target = _destinations[_tensor].AsSpan(_element, count);
        UpdateEncoding.Decode(bytes, _layout.DTypes[_tensor], target);
        if (_checkFinite && !float.IsFinite(TensorPrimitives.MaxMagnitude(target)))
        {
            int bad = FirstNonFinite(target);
            throw new InvalidDataException(
                $"Tensor '{_manifest.Tensors[_tensor].Name}' holds a non-finite value ({target[bad - _element]}) at index {bad}.");
        }
        _element += count;
        SkipFinishedTensors();

        int FirstNonFinite(ReadOnlySpan<float> values)
        {
            for (int i = 0; i < values.Length; i++)
                if (!float.IsFinite(values[i])) return _element + i;
            return _element;
        }
    }

    private void SkipFinishedTensors()
    {
        while (_tensor < _destinations.Length && _element == _destinations[_tensor].Length)
        {
            _tensor++;
            _element = 0;
        }
    }
}
