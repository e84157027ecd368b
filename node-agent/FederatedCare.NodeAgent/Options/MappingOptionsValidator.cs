using System.Globalization;
using FederatedCare.NodeAgent.Data;

namespace FederatedCare.NodeAgent.Options;

/// <summary>
/// Checks a dataset's <see cref="MappingOptions"/> at start, naming every wrong setting by its configuration key, e.g.
/// <c>NodeAgent:Datasets:breast-cancer:Mapping:Columns:tumour_mm:Cut:Closed must be 'right' or 'left' (was '').</c>
/// What needs the file (a mapped column the file lacks, a value without a mapping) is checked as it is read.
/// </summary>
public static class MappingOptionsValidator
{
    /// <summary>Adds the problems of <paramref name="dataset"/>'s mapping to <paramref name="errors"/>.</summary>
    /// <param name="key">The dataset's configuration key, e.g. <c>NodeAgent:Datasets:breast-cancer</c>.</param>
    /// <param name="dataset">The dataset's options.</param>
    /// <param name="errors">Where the problems go, one line each.</param>
    public static void Validate(string key, DatasetOptions dataset, List<string> errors)
    {
        var mapping = dataset.Mapping;
        if (mapping is null || mapping.IsEmpty) return;
        var m = $"{key}:Mapping";
        if (!DatasetFormats.IsSchemaDriven(dataset.Format))
        {
            errors.Add($"{m} is set, but a {dataset.Format} dataset has a fixed layout; only csv and parquet datasets are mapped.");
            return;
        }
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (column, c) in mapping.Columns)
        {
            var at = $"{m}:Columns:{column}";
            if (c is null)
            {
                errors.Add($"{at} is empty; give it a Rename, Values, Factor or Cut.");
                continue;
            }
            if (!dataset.HasHeader && !dataset.ColumnNames.Contains(column, StringComparer.Ordinal))
                errors.Add($"{at}: the file has no column '{column}' (ColumnNames: {string.Join(", ", dataset.ColumnNames)}).");
            if (c.Rename.Length > 0 && (string.IsNullOrWhiteSpace(c.Rename) || c.Rename.Trim() != c.Rename))
                errors.Add($"{at}:Rename '{c.Rename}' must not be blank or start or end with spaces.");
            var target = c.Rename.Length > 0 ? c.Rename : column;
            if (targets.TryGetValue(target, out var other))
                errors.Add($"{at}: '{column}' and '{other}' would both become column '{target}'.");
            else targets[target] = column;
            if (c.Values.Count > 0 && (c.Factor != 1 || c.Cut is not null))
                errors.Add($"{at}: Values recodes texts and cannot be combined with Factor or Cut (numbers).");
            if (c.KeepUnmappedValues && c.Values.Count == 0)
                errors.Add($"{at}:KeepUnmappedValues is set without Values.");
            foreach (var (from, to) in c.Values)
                if (string.IsNullOrWhiteSpace(to))
                    errors.Add($"{at}:Values:{from} is empty; map it to a value (missing values are the dataset's MissingMarkers).");
            if (!double.IsFinite(c.Factor) || c.Factor == 0)
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{at}:Factor must be a finite number other than 0 (was {c.Factor})."));
            if (c.Cut is { } cut) ValidateCut($"{at}:Cut", cut, errors);
        }
        if (!dataset.HasHeader)
            foreach (var name in dataset.ColumnNames)
                if (!mapping.Columns.ContainsKey(name) && targets.TryGetValue(name, out var renamed))
                    errors.Add($"{m}:Columns:{renamed}: renamed to '{name}', which ColumnNames already has.");
    }

    private static void ValidateCut(string at, CutOptions cut, List<string> errors)
    {
        if (cut.Breaks.Count == 0) errors.Add($"{at}:Breaks is empty; give at least one cut point.");
        for (int i = 0; i < cut.Breaks.Count; i++)
        {
            if (!double.IsFinite(cut.Breaks[i]))
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{at}:Breaks:{i} must be a finite number (was {cut.Breaks[i]})."));
            else if (i > 0 && !(cut.Breaks[i] > cut.Breaks[i - 1]))
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{at}:Breaks must be strictly increasing ({cut.Breaks[i - 1]} then {cut.Breaks[i]})."));
        }
        if (cut.Closed is not (CutOptions.Right or CutOptions.Left))
            errors.Add($"{at}:Closed must be '{CutOptions.Right}' ((a, b]: a cut point belongs to the interval below it) or '{CutOptions.Left}' ([a, b)) (was '{cut.Closed}').");
        if (cut.Levels.Count != cut.Breaks.Count + 1)
            errors.Add($"{at}:Levels must name {cut.Breaks.Count + 1} levels, one per interval, lowest first (has {cut.Levels.Count}).");
        if (cut.Levels.Any(string.IsNullOrWhiteSpace)) errors.Add($"{at}:Levels must not hold an empty level.");
        if (cut.Levels.Distinct(StringComparer.Ordinal).Count() != cut.Levels.Count) errors.Add($"{at}:Levels names a level twice.");
    }
}
