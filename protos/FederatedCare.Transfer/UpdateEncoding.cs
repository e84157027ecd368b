using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using FederatedCare.Protos.V1;

namespace FederatedCare.Protos.Wire;

/// <summary>
/// Element encodings of model payloads on the wire (<c>JobSpec.update_encoding</c>, <see cref="TensorEncoding"/>): float32 (exact, 4
/// bytes), float16 (IEEE 754 binary16, 2 bytes) and bfloat16 (the upper half of a float32, 2 bytes). Receivers
/// always widen to float32, which is exact. Narrowing rounds to nearest, ties to even, so the error per element is
/// at most half a unit in the last place:
/// <list type="bullet">
/// <item>float16: |x̂ − x| ≤ |x|·2⁻¹¹ (≈ 4.9e-4 relative) for 6.1e-5 ≤ |x| ≤ 65504, and ≤ 2⁻²⁵ (≈ 3e-8) absolute below
/// (subnormals); larger values would overflow, so <see cref="ChooseFor"/> sends such a tensor as float32 instead.</item>
/// <item>bfloat16: |x̂ − x| ≤ |x|·2⁻⁸ (≈ 3.9e-3 relative) over float32's whole range (8 significant bits).</item>
/// </list>
/// An aggregated mean Σ wᵢx̂ᵢ / Σ wᵢ inherits the bound of its largest term: its error is at most the same relative
/// bound times the weighted mean of |xᵢ|. Sources: IEEE 754-2019 §3.6; Kalamkar et al. 2019, "A Study of BFLOAT16 for
/// Deep Learning Training".
/// </summary>
public static class UpdateEncoding
{
    /// <summary>Largest finite float16 magnitude.</summary>
    public const float MaxHalf = 65504f;

    /// <summary>The payload dtype of a job's <c>update_encoding</c>.</summary>
    /// <exception cref="ArgumentException">A number no <see cref="TensorEncoding"/> member names.</exception>
    public static DType DTypeOf(TensorEncoding encoding) => encoding switch
    {
        TensorEncoding.Float32 => DType.Float32,
        TensorEncoding.Float16 => DType.Float16,
        TensorEncoding.Bfloat16 => DType.Bfloat16,
        _ => throw new ArgumentException(ProtoEnums.NotOneOf("update_encoding", encoding)),
    };

    /// <summary>Bytes per element of a payload dtype.</summary>
    /// <exception cref="InvalidDataException">Not a payload dtype (float32, float16, bfloat16).</exception>
    public static int ElementSize(DType dtype) => dtype switch
    {
        DType.Float32 => 4,
        DType.Float16 or DType.Bfloat16 => 2,
        _ => throw new InvalidDataException($"dtype {dtype} is not a payload encoding (float32, float16, bfloat16)."),
    };

    /// <summary>
    /// The dtype tensor <paramref name="values"/> travels as when <paramref name="wanted"/> is asked for: float16 falls
    /// back to float32 when a value exceeds ±65504 (it would become infinite); non-finite values are sent as they are.
    /// </summary>
    public static DType ChooseFor(ReadOnlySpan<float> values, DType wanted) =>
        wanted == DType.Float16 && values.Length > 0 && TensorPrimitives.MaxMagnitude(values) is var m && float.IsFinite(m) && m > MaxHalf
            ? DType.Float32
            : wanted;

    /// <summary>Narrows float32 values into <paramref name="destination"/> (2 bytes per value), rounding to nearest even.</summary>
    public static void Encode(ReadOnlySpan<float> values, DType dtype, Span<byte> destination)
    {
        switch (dtype)
        {
            case DType.Float32:
                MemoryMarshal.AsBytes(values).CopyTo(destination);
                break;
            case DType.Float16:
                TensorPrimitives.ConvertToHalf(values, MemoryMarshal.Cast<byte, Half>(destination));
                break;
            case DType.Bfloat16:
                var bits = MemoryMarshal.Cast<float, uint>(values);
                var target = MemoryMarshal.Cast<byte, ushort>(destination);
                for (int i = 0; i < bits.Length; i++) target[i] = ToBFloat16(bits[i]);
                break;
            default:
                throw new ArgumentException($"dtype {dtype} is not a payload encoding.", nameof(dtype));
        }
    }

    /// <summary>Widens encoded values into float32 <paramref name="destination"/> (exact).</summary>
    public static void Decode(ReadOnlySpan<byte> source, DType dtype, Span<float> destination)
    {
        switch (dtype)
        {
            case DType.Float32:
                source.CopyTo(MemoryMarshal.AsBytes(destination));
                break;
            case DType.Float16:
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source), destination);
                break;
            case DType.Bfloat16:
                var bits = MemoryMarshal.Cast<float, uint>(destination);
                TensorPrimitives.ConvertTruncating<ushort, uint>(MemoryMarshal.Cast<byte, ushort>(source), bits);
                TensorPrimitives.ShiftLeft(bits, 16, bits);
                break;
            default:
                throw new InvalidDataException($"dtype {dtype} is not a payload encoding.");
        }
    }

    /// <summary>float32 bits to bfloat16, round to nearest even; NaN stays NaN.</summary>
    private static ushort ToBFloat16(uint bits) =>
        (bits & 0x7FFF_FFFF) > 0x7F80_0000
            ? (ushort)((bits >> 16) | 0x40)
            : (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
}
