using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Jobs;

/// <summary>
/// Checks a job's <see cref="DatasetSchema"/> at StartJob, so that a spec every region would refuse fails at once
/// (InvalidArgument) with a message naming the field, e.g. <c>spec.schema.features[2] (cp): a categorical column needs levels.</c>
/// </summary>
internal static class DatasetSchemaValidator
{
    /// <summary>Null when valid (or absent), else the first problem.</summary>
    public static string? Validate(DatasetSchema? schema)
    {
        if (schema is null) return null;
        const string p = "spec.schema";
        if (schema.Features.Count == 0) return $"{p}.features is empty; list at least one feature column.";
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < schema.Features.Count; i++)
        {
            var f = schema.Features[i];
            var at = $"{p}.features[{i}] ({f.Name})";
            if (string.IsNullOrWhiteSpace(f.Name)) return $"{p}.features[{i}].name is required.";
            if (!names.Add(f.Name)) return $"{at}: the column is listed twice.";
            if (f.Type == ColumnType.Unspecified) return $"{at}: type is required (numeric, categorical or boolean).";
            if (f.Type == ColumnType.Categorical)
            {
                if (f.Levels.Count == 0) return $"{at}: a categorical column needs levels.";
                if (f.Levels.Distinct(StringComparer.Ordinal).Count() != f.Levels.Count) return $"{at}: a level is listed twice.";
                if (f.Encoding == CategoricalEncoding.OneHotDropFirst && f.Levels.Count < 2)
                    return $"{at}: one-hot without the first level needs at least two levels.";
            }
            else if (f.Levels.Count > 0) return $"{at}: only categorical columns have levels.";
            if (f.HasMin && f.HasMax && f.Min > f.Max) return $"{at}: min {f.Min} exceeds max {f.Max}.";
            if (f.Missing?.Strategy == MissingStrategy.ImputeConstant && !double.IsFinite(f.Missing.Constant))
                return $"{at}: the imputation constant must be finite.";
        }
        var label = schema.Label;
        if (label is null || string.IsNullOrWhiteSpace(label.Name)) return $"{p}.label.name is required.";
        if (names.Contains(label.Name)) return $"{p}.label ({label.Name}) is also a feature.";
        switch (label.Task)
        {
            case LabelTask.Binary:
                if (label.HasPositiveAbove == (label.PositiveLevel.Length > 0))
                    return $"{p}.label ({label.Name}): a binary label needs exactly one of positive_above or positive_level.";
                break;
            case LabelTask.Multiclass:
                if (label.Levels.Count < 2) return $"{p}.label ({label.Name}): a multi-class label needs at least two levels.";
                if (label.Levels.Distinct(StringComparer.Ordinal).Count() != label.Levels.Count) return $"{p}.label ({label.Name}): a level is listed twice.";
                break;
            case LabelTask.Regression:
                break;
            case LabelTask.Survival:
                if (string.IsNullOrWhiteSpace(label.EventColumn))
                    return $"{p}.label ({label.Name}): a survival label needs event_column (the 0/1 event indicator); name is the time column.";
                if (label.EventColumn == label.Name || names.Contains(label.EventColumn))
                    return $"{p}.label.event_column ({label.EventColumn}) is also the time column or a feature.";
                if (label.HasPositiveAbove || label.PositiveLevel.Length > 0 || label.Levels.Count > 0)
                    return $"{p}.label ({label.Name}): a survival label takes no positive_above, positive_level or levels.";
                break;
            default:
                return $"{p}.label.task is required (binary, multiclass, regression or survival).";
        }
        if (label.Task != LabelTask.Survival && label.EventColumn.Length > 0)
            return $"{p}.label.event_column is only for survival labels (task LABEL_TASK_SURVIVAL).";
        foreach (var ignored in schema.IgnoredColumns)
            if (names.Contains(ignored) || ignored == label.Name || ignored == label.EventColumn) return $"{p}.ignored_columns: '{ignored}' is also a feature or the label.";
        var n = schema.Normalization;
        if (n is not null && (!double.IsFinite(n.Epsilon) || n.Epsilon < 0)) return $"{p}.normalization.epsilon must be a finite number >= 0.";
        return null;
    }
}
