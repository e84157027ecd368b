using System.IO.Hashing;
using System.Security.Cryptography;
using FederatedCare.Protos.V1;
using Google.Protobuf;
using Grpc.Core;

namespace FederatedCare.Protos.Wire;

/// <summary>
/// Chunked model transfer: a <see cref="ModelManifest"/> message, then the payload (tensors' little-endian bytes in
/// their wire dtype, concatenated in manifest order) in data chunks well under gRPC's 4 MB message limit. The
/// receiver checks size and SHA-256 at the end, so a 1 GB model moves like a 1 kB one. Senders never copy float32
/// tensors: each chunk wraps a window of a tensor's array (<see cref="FloatBytes"/>), and a chunk never spans two
/// tensors. Receivers decode each chunk straight into the destination arrays (<see cref="TensorPayloadWriter"/>).
/// </summary>
public static class ModelStream
{
    /// <summary>
    /// Default data chunk size: 64 KiB. Below .NET's large-object threshold (85 000 bytes), so the byte arrays the
    /// receiver's protobuf parser allocates per chunk die young in generation 0 instead of piling up on the large-object
    /// heap until a full collection; with 1 MiB chunks a coordinator receiving 400 MB updates held gigabytes of such
    /// garbage. Per-message overhead at this size is a few percent of the transfer time.
    /// </summary>
    public const int DefaultChunkBytes = 64 << 10;

    /// <summary>Default limit on a received model: 8 GiB of float32 (2 G parameters).</summary>
    public const long DefaultMaxModelBytes = 8L << 30;

    /// <summary>Splits a float32 model into manifest + data chunks.</summary>
    /// <param name="model">The model.</param>
    /// <param name="chunkBytes">Largest data chunk in bytes.</param>
    /// <param name="knownSha256">The model's SHA-256 when the caller knows it (e.g. a stored global model), saving a hash pass.</param>
    public static IEnumerable<ModelChunk> ToChunks(ModelParameters model, int chunkBytes = DefaultChunkBytes, string? knownSha256 = null)
    {
        var manifest = Manifest(model, model.Tensors.Select(_ => DType.Float32).ToArray(), chunkBytes,
            knownSha256 is null ? PayloadHash.Sha256 : PayloadHash.None);
        if (knownSha256 is not null) manifest.Sha256 = knownSha256.ToLowerInvariant();
        yield return new ModelChunk { Manifest = manifest };
        foreach (var segment in Segments(model, manifest.Tensors.Select(t => t.Dtype).ToArray(), chunkBytes))
            yield return new ModelChunk { Data = UnsafeByteOperations.UnsafeWrap(segment) };
    }

    /// <summary>
    /// Splits a model into manifest + data chunks, each tensor encoded as <paramref name="encoding"/> (float16 falls back
    /// to float32 for a tensor with values beyond its range, see <see cref="UpdateEncoding.ChooseFor"/>).
    /// </summary>
    /// <param name="model">The model; its arrays must not change until the last chunk is written.</param>
    /// <param name="encoding">float32, float16 or bfloat16.</param>
    /// <param name="chunkBytes">Largest data chunk in bytes (a multiple of 4).</param>
    /// <param name="hash">SHA-256 (a version id; default) or XXH3-128 (updates: an integrity check about 10x cheaper,
    /// which on a loopback link otherwise costs a third of the upload's time).</param>
    public static IEnumerable<ModelChunk> ToChunks(ModelParameters model, DType encoding, int chunkBytes = DefaultChunkBytes,
        PayloadHash hash = PayloadHash.Sha256)
    {
        if (chunkBytes < 4 || chunkBytes % 4 != 0) throw new ArgumentOutOfRangeException(nameof(chunkBytes), "A positive multiple of 4.");
        var dtypes = model.Tensors.Select(t => UpdateEncoding.ChooseFor(t.Values, encoding)).ToArray();
        yield return new ModelChunk { Manifest = Manifest(model, dtypes, chunkBytes, hash) };
        foreach (var segment in Segments(model, dtypes, chunkBytes))
            yield return new ModelChunk { Data = UnsafeByteOperations.UnsafeWrap(segment) };
    }

    /// <summary>The manifest of <paramref name="model"/> sent with the given per-tensor dtypes, with the hash of the
    /// encoded bytes (<see cref="PayloadHash.None"/>: none, the caller fills it in).</summary>
    public static ModelManifest Manifest(ModelParameters model, IReadOnlyList<DType> dtypes, int chunkBytes = DefaultChunkBytes,
        PayloadHash hash = PayloadHash.Sha256)
    {
        var manifest = new ModelManifest();
        long total = 0;
        for (int i = 0; i < model.Tensors.Count; i++)
        {
            var t = model.Tensors[i];
            manifest.Tensors.Add(new TensorSpec { Name = t.Name, Dtype = dtypes[i], Shape = { t.Shape } });
            total += t.Values.LongLength * UpdateEncoding.ElementSize(dtypes[i]);
        }
        manifest.TotalBytes = total;
        foreach (var (key, value) in model.Metadata) manifest.Metadata[key] = value;
        if (hash == PayloadHash.None) return manifest;
        if (hash == PayloadHash.Xxh3)
        {
            var xxh3 = new XxHash128();
            foreach (var segment in Segments(model, dtypes, chunkBytes)) xxh3.Append(segment.Span);
            manifest.Xxh3128 = Convert.ToHexStringLower(xxh3.GetHashAndReset());
        }
        else if (dtypes.All(d => d == DType.Float32))
        {
            manifest.Sha256 = model.ComputeSha256();
        }
        else
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var segment in Segments(model, dtypes, chunkBytes)) sha.AppendData(segment.Span);
            manifest.Sha256 = Convert.ToHexStringLower(sha.GetHashAndReset());
        }
        return manifest;
    }

    // The payload in pieces of at most chunkBytes, never spanning tensors: float32 windows wrap the arrays, narrower
    // encodings are converted into a fresh buffer per piece (ByteString keeps a reference to it).
    private static IEnumerable<ReadOnlyMemory<byte>> Segments(ModelParameters model, IReadOnlyList<DType> dtypes, int chunkBytes)
    {
        for (int i = 0; i < model.Tensors.Count; i++)
        {
            var values = model.Tensors[i].Values;
            int size = UpdateEncoding.ElementSize(dtypes[i]);
            int perChunk = chunkBytes / size;
            for (int start = 0; start < values.Length; start += perChunk)
            {
                int count = Math.Min(perChunk, values.Length - start);
                if (dtypes[i] == DType.Float32)
                {
                    yield return new FloatBytes(values, start, count).Memory;
                }
                else
                {
                    var buffer = new byte[count * size];
                    UpdateEncoding.Encode(values.AsSpan(start, count), dtypes[i], buffer);
                    yield return buffer;
                }
            }
        }
    }

    /// <summary>Writes a model to a gRPC stream in chunks.</summary>
    /// <param name="model">The model.</param>
    /// <param name="writer">The stream.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <param name="chunkBytes">Largest data chunk in bytes.</param>
    /// <param name="knownSha256">The model's SHA-256 when known (stored models are looked up by it): saves a hash pass.</param>
    public static async Task WriteAsync(ModelParameters model, IAsyncStreamWriter<ModelChunk> writer,
        CancellationToken cancellationToken = default, int chunkBytes = DefaultChunkBytes, string? knownSha256 = null)
    {
        foreach (var chunk in ToChunks(model, chunkBytes, knownSha256))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await writer.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reassembles a model from its chunks, checking the manifest (supported dtypes, non-negative shapes, sizes that
    /// add up, at most <paramref name="maxModelBytes"/> of float32) before allocating, then total size and SHA-256.
    /// </summary>
    /// <param name="chunks">The chunks.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <param name="expectedSha256">When set, the manifest must announce this SHA-256 (the model asked for).</param>
    /// <param name="maxModelBytes">Largest model accepted, in float32 bytes.</param>
    /// <exception cref="InvalidDataException">The stream is malformed, truncated, too long, too large or fails the hash.</exception>
    public static async Task<ModelParameters> ReadAsync(IAsyncEnumerable<ModelChunk> chunks,
        CancellationToken cancellationToken = default, string? expectedSha256 = null, long maxModelBytes = DefaultMaxModelBytes)
    {
        ModelAssembler? assembler = null;
        try
        {
            await foreach (var chunk in chunks.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (assembler is null)
                {
                    if (chunk.PayloadCase != ModelChunk.PayloadOneofCase.Manifest)
                        throw new InvalidDataException("A model stream must start with its manifest.");
                    if (expectedSha256 is not null && !string.Equals(chunk.Manifest.Sha256, expectedSha256, StringComparison.OrdinalIgnoreCase))
                        throw new InvalidDataException($"Asked for model {expectedSha256} but the stream announces {chunk.Manifest.Sha256}.");
                    assembler = new ModelAssembler(chunk.Manifest, maxModelBytes);
                }
                else
                {
                    assembler.Append(chunk);
                }
            }
            if (assembler is null) throw new InvalidDataException("The model stream was empty.");
            return assembler.Complete();
        }
        finally
        {
            assembler?.Dispose();
        }
    }

    /// <summary>Reads a model from a gRPC response stream.</summary>
    public static Task<ModelParameters> ReadAsync(IAsyncStreamReader<ModelChunk> reader,
        CancellationToken cancellationToken = default, string? expectedSha256 = null, long maxModelBytes = DefaultMaxModelBytes) =>
        ReadAsync(reader.ReadAllAsync(cancellationToken), cancellationToken, expectedSha256, maxModelBytes);
}

/// <summary>
/// Incrementally rebuilds a float32 model from data chunks that follow a manifest, hashing as it goes; float16 and
/// bfloat16 tensors are widened to float32.
/// </summary>
public sealed class ModelAssembler : IDisposable
{
    private readonly float[][] _values;
    private readonly TensorPayloadWriter _writer;

    /// <summary>Validates the manifest and allocates the tensors.</summary>
    /// <param name="manifest">The manifest.</param>
    /// <param name="maxModelBytes">Largest model accepted, in float32 bytes, checked before allocating.</param>
    /// <exception cref="InvalidDataException">Unsupported dtype, bad shape, duplicate name, inconsistent or excessive size.</exception>
    public ModelAssembler(ModelManifest manifest, long maxModelBytes = ModelStream.DefaultMaxModelBytes)
    {
        Manifest = manifest;
        var layout = ManifestLayout.Check(manifest, maxModelBytes);
        _values = layout.Allocate();
        _writer = new TensorPayloadWriter(manifest, layout, _values, checkFinite: false);
    }

    /// <summary>The manifest this assembler was created from.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>Appends one data chunk.</summary>
    /// <exception cref="InvalidDataException">Not a data chunk, or more bytes than the manifest announced.</exception>
    public void Append(ModelChunk chunk)
    {
        if (chunk.PayloadCase != ModelChunk.PayloadOneofCase.Data)
            throw new InvalidDataException("Only data chunks may follow the manifest.");
        _writer.Append(chunk.Data.Span);
    }

    /// <summary>Checks size and hash and returns the model.</summary>
    /// <exception cref="InvalidDataException">Truncated stream or SHA-256 mismatch.</exception>
    public ModelParameters Complete()
    {
        _writer.Complete();
        return new ModelParameters(Manifest.Tensors
            .Select((t, i) => new NamedTensor(t.Name, t.Shape.ToArray(), _values[i])).ToList())
        {
            Metadata = Manifest.Metadata.ToDictionary(StringComparer.Ordinal),
        };
    }

    /// <inheritdoc/>
    public void Dispose() => _writer.Dispose();
}

/// <summary>The content hash a model stream's manifest carries.</summary>
public enum PayloadHash
{
    /// <summary>SHA-256 (<c>sha256</c>): global models, whose hash is their version id.</summary>
    Sha256,
    /// <summary>XXH3-128 (<c>xxh3_128</c>): updates, where the hash is an integrity check only.</summary>
    Xxh3,
    /// <summary>None computed: the caller sets it (a stored model whose SHA-256 is known).</summary>
    None,
}
