using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Storage;

/// <summary>
/// Asynchronous reading and writing of the safetensors format, byte for byte as <see cref="SafeTensors"/> (same
/// header, same padding), for model files that may be gigabytes: tensors go through a pooled 1-MiB buffer with
/// <see cref="Stream.ReadAsync(Memory{byte}, CancellationToken)"/>/<see cref="Stream.WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>,
/// so no thread blocks on the disk.
/// </summary>
public static class SafeTensorStreams
{
    private const int BufferBytes = 1 << 20;

    /// <summary>Writes a model (F32 tensors, in order) and its metadata to a stream.</summary>
    public static async Task WriteAsync(ModelParameters model, Stream destination, IReadOnlyDictionary<string, string>? metadata,
        CancellationToken ct)
    {
        var head = SafeTensors.Header(model, metadata);
        await destination.WriteAsync(head, ct).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            foreach (var t in model.Tensors)
                for (long start = 0; start < t.Values.LongLength; start += BufferBytes / sizeof(float))
                {
                    int count = (int)Math.Min(BufferBytes / sizeof(float), t.Values.LongLength - start);
                    MemoryMarshal.AsBytes(t.Values.AsSpan((int)start, count)).CopyTo(buffer);
                    await destination.WriteAsync(buffer.AsMemory(0, count * sizeof(float)), ct).ConfigureAwait(false);
                }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads a model; tensors come back in data-offset order. Sizes are checked against the header's bound before allocation.</summary>
    /// <exception cref="InvalidDataException">Not valid safetensors, or a non-F32 tensor.</exception>
    public static async Task<ModelParameters> ReadAsync(Stream source, CancellationToken ct)
    {
        var length = new byte[8];
        await source.ReadExactlyAsync(length, ct).ConfigureAwait(false);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(length);
        if (headerLength > 100_000_000) throw new InvalidDataException("safetensors header is implausibly large.");
        var json = new byte[headerLength];
        await source.ReadExactlyAsync(json, ct).ConfigureAwait(false);
        var header = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("safetensors header is not a JSON object.");
        var entries = SafeTensors.Entries(header);
        var tensors = new List<NamedTensor>(entries.Count);
        long position = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            foreach (var (name, shape, begin, end) in entries)
            {
                if (begin != position || end < begin || (end - begin) % sizeof(float) != 0 || (end - begin) / sizeof(float) > Array.MaxLength)
                    throw new InvalidDataException($"Tensor '{name}' has invalid data offsets [{begin}, {end}).");
                var values = new float[(end - begin) / sizeof(float)];
                for (long done = 0; done < values.LongLength;)
                {
                    int count = (int)Math.Min(BufferBytes / sizeof(float), values.LongLength - done);
                    await source.ReadExactlyAsync(buffer.AsMemory(0, count * sizeof(float)), ct).ConfigureAwait(false);
                    MemoryMarshal.Cast<byte, float>(buffer.AsSpan(0, count * sizeof(float))).CopyTo(values.AsSpan((int)done, count));
                    done += count;
                }
                position = end;
                tensors.Add(new NamedTensor(name, shape, values));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        try
        {
            return new ModelParameters(tensors) { Metadata = SafeTensors.MetadataOf(header) };
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }
}
