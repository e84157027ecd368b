using System.Globalization;
using System.Numerics.Tensors;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// The last check before a round's aggregate becomes the global model: every value finite. Validated updates are
/// finite, but a strategy's server step can still overflow (a huge server learning rate, an extreme noise
/// multiplier); such a model must never be stored or sent to nodes, where it would only fail their evaluation.
/// </summary>
public static class GlobalModelCheck
{
    /// <summary>Throws when <paramref name="model"/> holds NaN or ±Inf, naming the first tensor that does.</summary>
    /// <exception cref="JobFailedException">A value is not finite.</exception>
    public static void ThrowIfNonFinite(int round, ModelParameters model)
    {
        foreach (var tensor in model.Tensors)
        {
            if (tensor.Values.Length == 0 || float.IsFinite(TensorPrimitives.MaxMagnitude(tensor.Values))) continue;
            int index = Array.FindIndex(tensor.Values, v => !float.IsFinite(v));
            var value = tensor.Values[index].ToString(CultureInfo.InvariantCulture);
            throw new JobFailedException($"round {round}: the aggregated global model is not finite ('{tensor.Name}'[{index}] = {value}), " +
                "so it was not stored; the strategy's parameters (e.g. server_learning_rate) or privacy.noise_multiplier are out of a usable range.");
        }
    }
}
