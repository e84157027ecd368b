using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FederatedCare.Protos.Wire;

/// <summary>
/// Reads and writes the safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
/// header length, a JSON header mapping each tensor name to dtype, shape and byte offsets, then the raw data.
/// PyTorch (<c>safetensors.torch.load_file</c>) and TorchSharp read it. Only F32 tensors are supported.
/// </summary>
public static class SafeTensors
{
    /// <summary>Writes a model to a stream; tensors keep their order.</summary>
    public static void Write(ModelParameters model, Stream destination, IReadOnlyDictionary<string, string>? metadata = null)
    {
        destination.Write(Header(model, metadata));
        foreach (var t in model.Tensors) destination.Write(MemoryMarshal.AsBytes(t.Values.AsSpan()));
    }

    /// <summary>
    /// The file's head for <paramref name="model"/>: the header's length (8 bytes, little-endian) and the JSON header
    /// (F32 tensors in order, optional <c>__metadata__</c>), padded with spaces to a multiple of 8 bytes as the
    /// reference implementation does. The tensors' bytes follow it in order.
    /// </summary>
    public static byte[] Header(ModelParameters model, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata) meta[k] = v;
            header["__metadata__"] = meta;
        }
        long offset = 0;
        foreach (var t in model.Tensors)
        {
            long size = t.Values.LongLength * sizeof(float);
            header[t.Name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(t.Shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + size),
            };
            offset += size;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        var head = new byte[8 + padded];
        BinaryPrimitives.WriteUInt64LittleEndian(head, (ulong)padded);
        json.CopyTo(head, 8);
        head.AsSpan(8 + json.Length).Fill((byte)' ');
        return head;
    }

    /// <summary>
    /// Writes a model to a file atomically (temporary file, then rename); returns the lower-case hex SHA-256 of the
    /// file's bytes as written (what <c>sha256sum</c> prints; the model's own SHA-256 covers its tensors only).
    /// </summary>
    public static string WriteFile(ModelParameters model, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var tmp = path + ".tmp";
        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            Write(model, stream, metadata);
            stream.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
        using var written = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(written));
    }

    /// <summary>The <c>__metadata__</c> of a safetensors header (string values only, as the format allows); empty when absent.</summary>
    /// <exception cref="InvalidDataException">It is not an object of strings.</exception>
    public static IReadOnlyDictionary<string, string> MetadataOf(JsonObject header)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (header["__metadata__"] is not { } node) return metadata;
        if (node is not JsonObject o) throw new InvalidDataException("safetensors __metadata__ is not an object.");
        foreach (var (key, value) in o)
            metadata[key] = value is JsonValue v && v.TryGetValue<string>(out var text) ? text
                : throw new InvalidDataException($"safetensors __metadata__ entry '{key}' is not a string.");
        return metadata;
    }

    /// <summary>
    /// The tensor entries of a safetensors JSON header (name, shape, byte offsets into the data), sorted by their data
    /// offset; <c>__metadata__</c> is skipped. Offsets are returned as written: callers check them against the data.
    /// </summary>
    /// <exception cref="InvalidDataException">An entry is not an object, or a tensor is not F32.</exception>
    public static List<(string Name, long[] Shape, long Begin, long End)> Entries(JsonObject header)
    {
        var entries = new List<(string Name, long[] Shape, long Begin, long End)>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__") continue;
            if (node is not JsonObject o) throw new InvalidDataException($"Entry '{name}' is not an object.");
            if ((string?)o["dtype"] != "F32") throw new InvalidDataException($"Tensor '{name}' is {(string?)o["dtype"]}; only F32 is supported.");
            var shape = o["shape"]!.AsArray().Select(d => (long)d!).ToArray();
            var offsets = o["data_offsets"]!.AsArray().Select(d => (long)d!).ToArray();
            entries.Add((name, shape, offsets[0], offsets[1]));
        }
        entries.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        return entries;
    }

    /// <summary>Reads a model; tensors come back in data-offset order (the order they were written).</summary>
    /// <exception cref="InvalidDataException">The file is not valid safetensors or holds a non-F32 tensor.</exception>
    public static ModelParameters Read(Stream source)
    {
        Span<byte> length = stackalloc byte[8];
        source.ReadExactly(length);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(length);
        if (headerLength > 100_000_000) throw new InvalidDataException("safetensors header is implausibly large.");
        var json = new byte[headerLength];
        source.ReadExactly(json);
        var header = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("safetensors header is not a JSON object.");
        var entries = Entries(header);
        var tensors = new List<NamedTensor>(entries.Count);
        long position = 0;
        foreach (var (name, shape, begin, end) in entries)
        {
            if (begin != position) throw new InvalidDataException($"Tensor '{name}' does not start where the previous one ended.");
            var values = new float[(end - begin) / sizeof(float)];
            source.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
            position = end;
            tensors.Add(new NamedTensor(name, shape, values));
        }
        try
        {
            return new ModelParameters(tensors) { Metadata = MetadataOf(header) };
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }

    /// <summary>Reads a model from a file.</summary>
    public static ModelParameters ReadFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Read(stream);
    }
}
