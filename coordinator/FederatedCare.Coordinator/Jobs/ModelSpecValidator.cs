using System.Globalization;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Coordinator.Jobs;

/// <summary>
/// Checks a job's model at StartJob against the node agents' built-in models (<see cref="ModelCatalog"/>): no
/// hyperparameter the model does not take, and with a dataset schema a model that exists, learns the label's task
/// and whose widths (<c>in_features</c>, <c>num_classes</c>, <c>hidden_sizes</c>) fit the schema. A job without a
/// schema may name a model only its agents know (a fixed-format dataset or a custom trainer); its regions check it.
/// </summary>
internal static class ModelSpecValidator
{
    /// <summary>Null when valid, else the first problem, naming the field.</summary>
    public static string? Validate(ModelSpec model, DatasetSchema? schema)
    {
        var known = ModelCatalog.Find(model.Name);
        if (known is null)
            return schema is null ? null
                : $"spec.model.name '{model.Name}' is not a model the node agents have; use one of {string.Join(", ", ModelCatalog.All.Select(m => m.Name))}.";
        if (ModelCatalog.UnknownKey(model.Name, [.. known.Hyperparameters], model.Hyperparameters.Keys) is { } unknown)
            return $"spec.model.hyperparameters: {unknown}.";
        foreach (var key in new[] { ModelCatalog.Keys.InFeatures, ModelCatalog.Keys.NumClasses })
            if (model.Hyperparameters.TryGetValue(key, out var text) && PositiveInt(text) is null)
                return $"spec.model.hyperparameters.{key} '{text}' must be a positive integer.";
        if (model.Hyperparameters.TryGetValue(ModelCatalog.Keys.HiddenSizes, out var hidden)
            && hidden.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Any(p => PositiveInt(p) is null))
            return $"spec.model.hyperparameters.{ModelCatalog.Keys.HiddenSizes} '{hidden}' must be positive integers separated by commas.";
        if (schema?.Label is not { } label) return null;
        if (!known.Tasks.Contains(label.Task))
            return $"spec.model.name {model.Name} cannot learn spec.schema.label.task {ProtoEnums.Name(label.Task)}; it learns {string.Join(", ", known.Tasks.Select(ProtoEnums.Name))}.";
        int width = SchemaWidth.Of(schema);
        if (model.Hyperparameters.TryGetValue(ModelCatalog.Keys.InFeatures, out var inText) && PositiveInt(inText) is { } inFeatures && inFeatures != width)
            return $"spec.model.hyperparameters.in_features is {inFeatures} but spec.schema encodes {width} input columns.";
        if (label.Task == LabelTask.Multiclass && model.Hyperparameters.TryGetValue(ModelCatalog.Keys.NumClasses, out var classText)
            && PositiveInt(classText) is { } classes && classes != label.Levels.Count)
            return $"spec.model.hyperparameters.num_classes is {classes} but spec.schema.label has {label.Levels.Count} levels.";
        return null;
    }

    private static int? PositiveInt(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
