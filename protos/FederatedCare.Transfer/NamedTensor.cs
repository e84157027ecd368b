namespace FederatedCare.Protos.Wire;

/// <summary>
/// One named float32 tensor of a model: a parameter or buffer, row-major.
/// </summary>
/// <param name="Name">The tensor's name, e.g. <c>linear.weight</c>.</param>
/// <param name="Shape">Dimensions; the product must equal <c>Values.Length</c>.</param>
/// <param name="Values">Row-major values.</param>
public sealed record NamedTensor(string Name, long[] Shape, float[] Values)
{
    /// <summary>The element count implied by <see cref="Shape"/> (1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);
}
