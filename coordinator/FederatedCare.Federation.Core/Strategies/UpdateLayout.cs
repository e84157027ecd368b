using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Strategies;

/// <summary>
/// The tensor layout of uploaded updates: the model delta with the global model's names and shapes, optionally
/// followed by SCAFFOLD's control-variate delta, each tensor named <c>control_delta/&lt;name&gt;</c>.
/// </summary>
public static class UpdateLayout
{
    /// <summary>Prefix of control-variate delta tensors in an upload.</summary>
    public const string ControlDeltaPrefix = WireNames.TensorPrefixes.ControlDelta;

    /// <summary>The model's tensors as float32 specs, each name prefixed by <paramref name="prefix"/>.</summary>
    public static IReadOnlyList<TensorSpec> Of(ModelParameters model, string prefix = "") =>
        model.Tensors.Select(t => new TensorSpec { Name = prefix + t.Name, Dtype = DType.Float32, Shape = { t.Shape } }).ToList();

    /// <summary>
    /// Splits an upload into the model delta and the control-variate delta (prefix removed; null when there is none).
    /// The upload must already have passed the manifest check against the expected layout.
    /// </summary>
    public static (ModelParameters Delta, ModelParameters? ControlDelta) Split(ModelParameters upload)
    {
        var delta = upload.Tensors.Where(t => !t.Name.StartsWith(ControlDeltaPrefix, StringComparison.Ordinal)).ToList();
        if (delta.Count == upload.Tensors.Count) return (upload, null);
        var control = upload.Tensors.Where(t => t.Name.StartsWith(ControlDeltaPrefix, StringComparison.Ordinal))
            .Select(t => t with { Name = t.Name[ControlDeltaPrefix.Length..] }).ToList();
        return (new ModelParameters(delta), new ModelParameters(control));
    }
}
