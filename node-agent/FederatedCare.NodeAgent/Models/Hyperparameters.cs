using System.Globalization;
using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Models;

/// <summary>Typed access to <see cref="ModelSpec.Hyperparameters"/> (strings on the wire, invariant culture).</summary>
public static class Hyperparameters
{
    /// <summary>The integer hyperparameter <paramref name="key"/>, or <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="ModelSpecException">Present but not a positive integer.</exception>
    public static int GetInt(ModelSpec spec, string key, int fallback)
    {
        if (!spec.Hyperparameters.TryGetValue(key, out var text) || string.IsNullOrWhiteSpace(text)) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value <= 0)
            throw new ModelSpecException($"Hyperparameter {key}='{text}' of model {spec.Name} is not a positive integer.");
        return value;
    }
}
