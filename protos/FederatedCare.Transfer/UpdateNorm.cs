using System.Numerics.Tensors;
using FederatedCare.Protos.V1;

namespace FederatedCare.Protos.Wire;

/// <summary>
/// The L2 norm of a whole update, all tensors taken as one vector, as differential privacy's clipping needs it
/// (McMahan et al. 2018, "Learning Differentially Private Recurrent Language Models", flat clipping). Squares are
/// summed in float64 in tensor and element order, so the node that clips and the coordinator that checks compute the
/// same number from the same values, whatever the model size: <see cref="L2AsDecoded"/> on the node equals, to the
/// last bit, <see cref="L2(IEnumerable{float[]})"/> on the arrays the coordinator decodes.
/// </summary>
public static class UpdateNorm
{
    // Elements widened to float64 at a time: 8 KiB of stack.
    private const int BlockElements = 1024;

    /// <summary>‖U‖₂ = √(Σₜ Σᵢ Uₜᵢ²) over the arrays.</summary>
    public static double L2(IEnumerable<float[]> arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        Span<double> wide = stackalloc double[BlockElements];
        double sumOfSquares = 0;
        foreach (var values in arrays)
            for (int start = 0; start < values.Length; start += BlockElements)
                sumOfSquares += SumOfSquares(values.AsSpan(start, Math.Min(BlockElements, values.Length - start)), wide);
        return Math.Sqrt(sumOfSquares);
    }

    /// <summary>The L2 norm of a model's tensors.</summary>
    public static double L2(ModelParameters model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return L2(model.Tensors.Select(t => t.Values));
    }

    /// <summary>
    /// The L2 norm of the values a receiver decodes when <paramref name="model"/> travels in <paramref name="encoding"/>
    /// (each tensor in the dtype <see cref="UpdateEncoding.ChooseFor"/> picks): narrowing rounds each value, so a
    /// float16 or bfloat16 update can be slightly longer on arrival than the float32 values it came from.
    /// </summary>
    public static double L2AsDecoded(ModelParameters model, DType encoding)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (encoding == DType.Float32) return L2(model);
        Span<double> wide = stackalloc double[BlockElements];
        var encoded = new byte[BlockElements * sizeof(float)];
        var decoded = new float[BlockElements];
        double sumOfSquares = 0;
        foreach (var tensor in model.Tensors)
        {
            var dtype = UpdateEncoding.ChooseFor(tensor.Values, encoding);
            for (int start = 0; start < tensor.Values.Length; start += BlockElements)
            {
                var block = tensor.Values.AsSpan(start, Math.Min(BlockElements, tensor.Values.Length - start));
                var bytes = encoded.AsSpan(0, block.Length * UpdateEncoding.ElementSize(dtype));
                UpdateEncoding.Encode(block, dtype, bytes);
                UpdateEncoding.Decode(bytes, dtype, decoded.AsSpan(0, block.Length));
                sumOfSquares += SumOfSquares(decoded.AsSpan(0, block.Length), wide);
            }
        }
        return Math.Sqrt(sumOfSquares);
    }

    // Σ x² of one block (at most BlockElements values), widened to float64 first.
    private static double SumOfSquares(ReadOnlySpan<float> block, Span<double> wide)
    {
        var target = wide[..block.Length];
        TensorPrimitives.ConvertChecked<float, double>(block, target);
        return TensorPrimitives.SumOfSquares<double>(target);
    }
}
