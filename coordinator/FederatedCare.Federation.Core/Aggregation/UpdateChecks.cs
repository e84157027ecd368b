using System.Globalization;
using FederatedCare.Federation.Core.Privacy;
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

    private static string Text(double value) => value.ToString("G9", CultureInfo.InvariantCulture);
}
