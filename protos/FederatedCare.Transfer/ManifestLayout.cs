using FederatedCare.Protos.V1;

namespace FederatedCare.Protos.Wire;

/// <summary>
/// The checked layout of a <see cref="ModelManifest"/>: element count and wire dtype of every tensor. Computed before
/// anything is allocated, so a hostile or corrupt manifest cannot make a receiver allocate more than it allows.
/// </summary>
public sealed class ManifestLayout
{
    private ManifestLayout(long[] counts, DType[] dtypes, long totalBytes)
    {
        Counts = counts;
        DTypes = dtypes;
        TotalBytes = totalBytes;
    }

    /// <summary>Elements of each tensor, in manifest order.</summary>
    public IReadOnlyList<long> Counts { get; }

    /// <summary>Wire dtype of each tensor (float32, float16 or bfloat16).</summary>
    public IReadOnlyList<DType> DTypes { get; }

    /// <summary>Payload bytes on the wire.</summary>
    public long TotalBytes { get; }

    /// <summary>Elements over all tensors (= float32 values once decoded).</summary>
    public long TotalElements => Counts.Sum();

    /// <summary>Checks names, dtypes, shapes and sizes.</summary>
    /// <param name="manifest">The manifest.</param>
    /// <param name="maxDecodedBytes">Most float32 bytes the receiver accepts (the memory it will allocate).</param>
    /// <exception cref="InvalidDataException">No or duplicate name, unsupported dtype, negative dimension, a tensor over
    /// <see cref="Array.MaxLength"/> elements, sizes that do not add up to total_bytes, or a model over the limit.</exception>
    public static ManifestLayout Check(ModelManifest manifest, long maxDecodedBytes)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var counts = new long[manifest.Tensors.Count];
        var dtypes = new DType[counts.Length];
        long total = 0, decoded = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            var t = manifest.Tensors[i];
            if (string.IsNullOrEmpty(t.Name)) throw new InvalidDataException($"Tensor {i} has no name.");
            if (!names.Add(t.Name)) throw new InvalidDataException($"Tensor name '{t.Name}' appears twice.");
            if (t.Dtype is not (DType.Float32 or DType.Float16 or DType.Bfloat16))
                throw new InvalidDataException($"Tensor '{t.Name}' has dtype {t.Dtype}; only float32, float16 and bfloat16 are supported.");
            long count = 1;
            try
            {
                foreach (var d in t.Shape)
                {
                    if (d < 0) throw new InvalidDataException($"Tensor '{t.Name}' has a negative dimension.");
                    count = checked(count * d);
                }
                total = checked(total + count * UpdateEncoding.ElementSize(t.Dtype));
                decoded = checked(decoded + count * sizeof(float));
            }
            catch (OverflowException)
            {
                throw new InvalidDataException($"Tensor '{t.Name}' is too large.");
            }
            if (count > Array.MaxLength) throw new InvalidDataException($"Tensor '{t.Name}' is too large ({count} elements).");
            counts[i] = count;
            dtypes[i] = t.Dtype;
        }
        if (total != manifest.TotalBytes)
            throw new InvalidDataException($"Manifest says {manifest.TotalBytes} bytes but its tensors hold {total}.");
        if (decoded > maxDecodedBytes)
            throw new InvalidDataException($"The model holds {decoded} bytes of float32, more than the {maxDecodedBytes} allowed.");
        return new ManifestLayout(counts, dtypes, total);
    }

    /// <summary>New zeroed float32 arrays, one per tensor.</summary>
    public float[][] Allocate() => Counts.Select(c => new float[c]).ToArray();
}
