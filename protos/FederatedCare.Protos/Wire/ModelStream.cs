using System.Runtime.InteropServices;
using System.Security.Cryptography;
using FederatedCare.Protos.V1;
using Google.Protobuf;
using Grpc.Core;

namespace FederatedCare.Protos.Wire;

/// <summary>
/// Chunked model transfer: a <see cref="ModelManifest"/> message, then the payload (tensors' little-endian float32
/// bytes concatenated in manifest order) in data chunks well under gRPC's 4 MB message limit. The receiver checks
/// size and SHA-256 at the end, so a 1 GB model moves like a 1 kB one.
/// </summary>
public static class ModelStream
{
    /// <summary>Default data chunk size: 1 MiB.</summary>
    public const int DefaultChunkBytes = 1 << 20;

    /// <summary>Splits a model into manifest + data chunks.</summary>
    public static IEnumerable<ModelChunk> ToChunks(ModelParameters model, int chunkBytes = DefaultChunkBytes)
    {
        yield return new ModelChunk { Manifest = model.ToManifest() };
        var buffer = new byte[chunkBytes];
        int tensor = 0;
        long offset = 0; // bytes into the current tensor
        while (true)
        {
            int filled = Fill(model.Tensors, buffer, ref tensor, ref offset);
            if (filled == 0) yield break;
            yield return new ModelChunk { Data = ByteString.CopyFrom(buffer, 0, filled) };
        }
    }

    // Copies the next bytes of the concatenated payload into the buffer; spans cannot live across a yield.
    private static int Fill(IReadOnlyList<NamedTensor> tensors, byte[] buffer, ref int tensor, ref long offset)
    {
        int filled = 0;
        while (filled < buffer.Length && tensor < tensors.Count)
        {
            var bytes = MemoryMarshal.AsBytes(tensors[tensor].Values.AsSpan());
            int n = (int)Math.Min(bytes.Length - offset, buffer.Length - filled);
            bytes.Slice((int)offset, n).CopyTo(buffer.AsSpan(filled));
            filled += n;
            offset += n;
            if (offset == bytes.Length)
            {
                tensor++;
                offset = 0;
            }
        }
        return filled;
    }

    /// <summary>Writes a model to a gRPC stream in chunks.</summary>
    public static async Task WriteAsync(ModelParameters model, IAsyncStreamWriter<ModelChunk> writer,
        CancellationToken cancellationToken = default, int chunkBytes = DefaultChunkBytes)
    {
        foreach (var chunk in ToChunks(model, chunkBytes))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await writer.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reassembles a model from its chunks, checking the manifest (float32 only, non-negative shapes, sizes that
    /// add up), the total size and the SHA-256.
    /// </summary>
    /// <exception cref="InvalidDataException">The stream is malformed, truncated, too long or fails the hash.</exception>
    public static async Task<ModelParameters> ReadAsync(IAsyncEnumerable<ModelChunk> chunks,
        CancellationToken cancellationToken = default)
    {
        var assembler = default(ModelAssembler);
        await foreach (var chunk in chunks.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (assembler is null)
            {
                if (chunk.PayloadCase != ModelChunk.PayloadOneofCase.Manifest)
                    throw new InvalidDataException("A model stream must start with its manifest.");
                assembler = new ModelAssembler(chunk.Manifest);
            }
            else
            {
                assembler.Append(chunk);
            }
        }
        if (assembler is null) throw new InvalidDataException("The model stream was empty.");
        return assembler.Complete();
    }

    /// <summary>Reads a model from a gRPC response stream.</summary>
    public static Task<ModelParameters> ReadAsync(IAsyncStreamReader<ModelChunk> reader,
        CancellationToken cancellationToken = default) => ReadAsync(reader.ReadAllAsync(cancellationToken), cancellationToken);
}

/// <summary>
/// Incrementally rebuilds a model from data chunks that follow a manifest, hashing as it goes.
/// </summary>
public sealed class ModelAssembler
{
    private readonly ModelManifest _manifest;
    private readonly float[][] _values;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _received;
    private int _tensor;
    private long _offsetInTensor; // bytes

    /// <summary>Validates the manifest and allocates the tensors.</summary>
    /// <exception cref="InvalidDataException">Unsupported dtype, bad shape, duplicate name or inconsistent size.</exception>
    public ModelAssembler(ModelManifest manifest)
    {
        _manifest = manifest;
        long total = 0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        _values = new float[manifest.Tensors.Count][];
        for (int i = 0; i < manifest.Tensors.Count; i++)
        {
            var t = manifest.Tensors[i];
            if (string.IsNullOrEmpty(t.Name)) throw new InvalidDataException($"Tensor {i} has no name.");
            if (!names.Add(t.Name)) throw new InvalidDataException($"Tensor name '{t.Name}' appears twice.");
            if (t.Dtype != DType.Float32)
                throw new InvalidDataException($"Tensor '{t.Name}' has dtype {t.Dtype}; only float32 is supported.");
            long count = 1;
            foreach (var d in t.Shape)
            {
                if (d < 0) throw new InvalidDataException($"Tensor '{t.Name}' has a negative dimension.");
                count = checked(count * d);
            }
            if (count > Array.MaxLength) throw new InvalidDataException($"Tensor '{t.Name}' is too large ({count} elements).");
            _values[i] = new float[count];
            total += count * sizeof(float);
        }
        if (total != manifest.TotalBytes)
            throw new InvalidDataException($"Manifest says {manifest.TotalBytes} bytes but its tensors hold {total}.");
        SkipEmptyTensors();
    }

    /// <summary>The manifest this assembler was created from.</summary>
    public ModelManifest Manifest => _manifest;

    /// <summary>Appends one data chunk.</summary>
    /// <exception cref="InvalidDataException">Not a data chunk, or more bytes than the manifest announced.</exception>
    public void Append(ModelChunk chunk)
    {
        if (chunk.PayloadCase != ModelChunk.PayloadOneofCase.Data)
            throw new InvalidDataException("Only data chunks may follow the manifest.");
        var data = chunk.Data.Span;
        if (_received + data.Length > _manifest.TotalBytes)
            throw new InvalidDataException($"The stream carries more than the {_manifest.TotalBytes} bytes announced.");
        _hash.AppendData(data);
        _received += data.Length;
        while (data.Length > 0)
        {
            var target = MemoryMarshal.AsBytes(_values[_tensor].AsSpan());
            int n = (int)Math.Min(data.Length, target.Length - _offsetInTensor);
            data[..n].CopyTo(target[(int)_offsetInTensor..]);
            data = data[n..];
            _offsetInTensor += n;
            if (_offsetInTensor == target.Length)
            {
                _tensor++;
                _offsetInTensor = 0;
                SkipEmptyTensors();
            }
        }
    }

    /// <summary>Checks size and hash and returns the model.</summary>
    /// <exception cref="InvalidDataException">Truncated stream or SHA-256 mismatch.</exception>
    public ModelParameters Complete()
    {
        if (_received != _manifest.TotalBytes)
            throw new InvalidDataException($"The stream ended after {_received} of {_manifest.TotalBytes} bytes.");
        var sha = Convert.ToHexStringLower(_hash.GetHashAndReset());
        if (!string.Equals(sha, _manifest.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"SHA-256 mismatch: manifest {_manifest.Sha256}, payload {sha}.");
        return new ModelParameters(_manifest.Tensors
            .Select((t, i) => new NamedTensor(t.Name, t.Shape.ToArray(), _values[i])).ToList());
    }

    private void SkipEmptyTensors()
    {
        while (_tensor < _values.Length && _values[_tensor].Length == 0) _tensor++;
    }
}
