using FederatedCare.Privacy;
using System.Globalization;
using System.Numerics.Tensors;
using FederatedCare.Federation.Core.Privacy;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Aggregation;

/// <summary>The checks of an update's content against its round, each failing with an <see cref="InvalidUpdateException"/>.</summary>
public static class UpdateChecks
{
    /// <summary>
    /// A fit update must have exactly the tensors the strategy expects (<see cref="Strategies.IStrategy.ExpectedUpdate"/>:
    /// the global model's, then SCAFFOLD's <c>control_delta/&lt;name&gt;</c>): names, order, shapes and dtype (float32, or
    /// its float16/bfloat16 wire encoding).
    /// </summary>
    /// <param name="round">The round number, for the message.</param>
    /// <param name="expected">The expected layout, float32.</param>
    /// <param name="manifest">The update's manifest.</param>
    /// <exception cref="InvalidUpdateException">Another count, name, order, shape or dtype.</exception>
    public static void Manifest(int round, IReadOnlyList<TensorSpec> expected, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Tensors.Count != expected.Count)
            throw new InvalidUpdateException($"The update has {manifest.Tensors.Count} tensors but round {round} expects {expected.Count} " +
                $"({string.Join(", ", expected.Select(t => t.Name))}).");
        for (int i = 0; i < expected.Count; i++)
        {
            var got = manifest.Tensors[i];
            var want = expected[i];
            if (got.Name != want.Name)
                throw new InvalidUpdateException($"Tensor {i} of the update is '{got.Name}' but round {round} expects '{want.Name}'.");
            if (got.Dtype != want.Dtype && !(want.Dtype == DType.Float32 && got.Dtype is DType.Float16 or DType.Bfloat16))
                throw new InvalidUpdateException($"Tensor '{got.Name}' has dtype {got.Dtype}; the global model's is {want.Dtype} " +
                    "(float16 and bfloat16 encodings of it are accepted too).");
            if (!got.Shape.SequenceEqual(want.Shape))
                throw new InvalidUpdateException($"Tensor '{got.Name}' has shape [{string.Join(", ", got.Shape)}] but the global " +
                    $"model's is [{string.Join(", ", want.Shape)}].");
        }
    }

    /// <summary>
    /// Client-side clipping (differential privacy): the node promised an update of L2 norm at most C, so one longer than
    /// C·(1 + 1e-5) was not clipped and is refused whole. Nothing to check for server-side clipping.
    /// </summary>
    /// <exception cref="InvalidUpdateException">The norm exceeds the bound.</exception>
    public static void ClippedNorm(PrivacySettings privacy, string region, double norm)
    {
        ArgumentNullException.ThrowIfNull(privacy);
        if (!privacy.ClientSideClipping || norm <= privacy.LargestClientNorm) return;
        throw new InvalidUpdateException($"Region '{region}': the update's L2 norm {Text(norm)} exceeds the clipping norm " +
            $"C = {Text(privacy.ClippingNorm)} of client-side clipping (at most C·(1 + {Text(PrivacySettings.ClientNormTolerance)}) = " +
            $"{Text(privacy.LargestClientNorm)} is accepted); clip the delta before upload.");
    }

    /// <summary>
    /// An in-process update, checked like a decoded wire update: the layout's tensors in order (the model delta, then
    /// SCAFFOLD's control delta) with their element counts, and finite values.
    /// </summary>
    /// <param name="layout">The round's layout; null accepts any.</param>
    /// <param name="update">The update.</param>
    /// <returns>Its arrays in layout order.</returns>
    /// <exception cref="InvalidUpdateException">Another layout, or a non-finite value.</exception>
    public static float[][] Decoded(IReadOnlyList<TensorSpec>? layout, ClientUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var tensors = update.Delta.Tensors
            .Concat(update.ControlDelta?.Tensors.Select(t => t with { Name = UpdateLayout.ControlDeltaPrefix + t.Name }) ?? []).ToList();
        if (layout is not null)
        {
            if (tensors.Count != layout.Count)
                throw new InvalidUpdateException($"The update has {tensors.Count} tensors but the round expects {layout.Count}.");
            for (int i = 0; i < tensors.Count; i++)
                if (tensors[i].Name != layout[i].Name || tensors[i].Values.LongLength != layout[i].Shape.Aggregate(1L, (a, d) => a * d))
                    throw new InvalidUpdateException($"Tensor {i} of the update is '{tensors[i].Name}' with {tensors[i].Values.Length} values; " +
                        $"the round expects '{layout[i].Name}' of shape [{string.Join(", ", layout[i].Shape)}].");
        }
        foreach (var t in tensors)
            if (t.Values.Length > 0 && !float.IsFinite(TensorPrimitives.MaxMagnitude<float>(t.Values)))
                throw new InvalidUpdateException($"Tensor '{t.Name}' holds a non-finite value.");
        return tensors.Select(t => t.Values).ToArray();
    }

    private static string Text(double value) => value.ToString("G9", CultureInfo.InvariantCulture);
}
