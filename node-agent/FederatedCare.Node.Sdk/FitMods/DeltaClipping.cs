using System.Numerics.Tensors;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Node.Sdk.FitMods;

/// <summary>
/// Client-side clipping of DP-FedAvg (McMahan et al. 2018, "Learning Differentially Private Recurrent Language
/// Models", flat clipping; Flower's <c>fixedclipping_mod</c>): the delta is scaled by min(1, C/‖Δ‖₂), the norm taken
/// over all tensors together. The coordinator measures the norm of the values it decodes and refuses one above
/// C·(1 + 1e-5), so the clip is checked the same way (<see cref="UpdateNorm.L2AsDecoded"/>): float32 scaling can land a
/// few ulps above C, and float16/bfloat16 encoding rounds each value by up to 2⁻¹¹/2⁻⁸ of itself, either way. While the
/// decoded norm is above C·(1 + 1e-6) the delta shrinks once more by C/norm and that rounding bound; a delta within C
/// is left exactly as it is.
/// </summary>
public static class DeltaClipping
{
    /// <summary>The node's own slack, ten times tighter than the coordinator's 1e-5.</summary>
    public const double Tolerance = 1e-6;

    private const int MaxPasses = 8;

    /// <summary>Clips <paramref name="delta"/> in place to L2 norm ≤ C as the coordinator will decode it; returns its norm before.</summary>
    /// <exception cref="ArgumentOutOfRangeException">C is not a finite number &gt; 0.</exception>
    /// <exception cref="ArgumentException">The encoded norm stayed above C (in theory only: float16 subnormals with a tiny C).</exception>
    public static double Clip(ModelParameters delta, double clippingNorm, DType encoding)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (!(double.IsFinite(clippingNorm) && clippingNorm > 0))
            throw new ArgumentOutOfRangeException(nameof(clippingNorm), clippingNorm, "The clipping norm must be a finite number > 0.");
        double original = UpdateNorm.L2(delta);
        double rounding = encoding switch
        {
            DType.Float16 => Math.Pow(2, -11),
            DType.Bfloat16 => Math.Pow(2, -8),
            _ => 0,
        };
        // float32 travels as it is: its decoded norm is the one just measured, so the delta is read once, not twice.
        double norm = encoding == DType.Float32 ? original : UpdateNorm.L2AsDecoded(delta, encoding);
        for (int pass = 0; norm > clippingNorm * (1 + Tolerance); pass++)
        {
            if (pass == MaxPasses)
                throw new ArgumentException($"Clipping to {clippingNorm} left an L2 norm of {norm} after {MaxPasses} passes in {encoding}.");
            var factor = (float)(clippingNorm / norm / (1 + rounding));
            foreach (var tensor in delta.Tensors) TensorPrimitives.Multiply(tensor.Values, factor, tensor.Values);
            norm = UpdateNorm.L2AsDecoded(delta, encoding);
        }
        return original;
    }
}
