using System.Runtime.InteropServices;
using System.Security.Cryptography;
using FederatedCare.Protos.V1;

namespace FederatedCare.Protos.Wire;

/// <summary>
/// A model as the coordinator sees it: an ordered list of named float32 tensors. Model-agnostic: no TorchSharp.
/// </summary>
public sealed class ModelParameters
{
    /// <summary>Creates a model from its tensors, in order.</summary>
    /// <exception cref="ArgumentException">A name repeats, or a shape does not match its value count.</exception>
    public ModelParameters(IReadOnlyList<NamedTensor> tensors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in tensors)
        {
            if (!seen.Add(t.Name)) throw new ArgumentException($"Tensor name '{t.Name}' appears twice.", nameof(tensors));
            if (t.Shape.Any(d => d < 0) || t.ElementCount != t.Values.LongLength)
                throw new ArgumentException(
                    $"Tensor '{t.Name}' has shape [{string.Join(", ", t.Shape)}] but {t.Values.LongLength} values.", nameof(tensors));
        }
        Tensors = tensors;
    }

    /// <summary>The tensors in model order.</summary>
    public IReadOnlyList<NamedTensor> Tensors { get; }

    /// <summary>
    /// Text that goes with the model (a global model's input columns and normalisation, see <c>ModelManifest.metadata</c>),
    /// kept in its safetensors <c>__metadata__</c>; not part of the payload, so not of its SHA-256. Empty by default.
    /// </summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The same tensors (not copied) with <paramref name="metadata"/>.</summary>
    public ModelParameters WithMetadata(IReadOnlyDictionary<string, string> metadata) => new(Tensors) { Metadata = metadata };

    /// <summary>Payload size in bytes (float32).</summary>
    public long TotalBytes => Tensors.Sum(t => t.Values.LongLength * sizeof(float));

    /// <summary>The manifest (names, shapes, dtype, size, SHA-256) describing this model on the wire.</summary>
    public ModelManifest ToManifest()
    {
        var manifest = new ModelManifest { TotalBytes = TotalBytes, Sha256 = ComputeSha256() };
        foreach (var (key, value) in Metadata) manifest.Metadata[key] = value;
        foreach (var t in Tensors)
        {
            var spec = new TensorSpec { Name = t.Name, Dtype = DType.Float32 };
            spec.Shape.AddRange(t.Shape);
            manifest.Tensors.Add(spec);
        }
        return manifest;
    }

    /// <summary>Lower-case hex SHA-256 of the little-endian payload: the model's version id.</summary>
    public string ComputeSha256()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var t in Tensors) hash.AppendData(MemoryMarshal.AsBytes(t.Values.AsSpan()));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>A deep copy.</summary>
    public ModelParameters Clone() =>
        new(Tensors.Select(t => new NamedTensor(t.Name, (long[])t.Shape.Clone(), (float[])t.Values.Clone())).ToList());

    /// <summary>A model with the same names and shapes and all values zero.</summary>
    public ModelParameters ZerosLike() =>
        new(Tensors.Select(t => new NamedTensor(t.Name, (long[])t.Shape.Clone(), new float[t.Values.Length])).ToList());
}
