using System.Globalization;
using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Data.Tabular;

/// <summary>
/// Checks a <see cref="RawTable"/> against a <see cref="DatasetSchema"/> and encodes it: numeric values as they are,
/// booleans as 1/0, categorical values one-hot (optionally without the first level), indicator columns after the
/// column they flag; rows whose drop-row column or label is missing are dropped; the label becomes 0/1 (binary),
/// the class index (multi-class) or the value (regression); a survival label becomes its event (1/0) with its time
/// (≥ 0) kept beside it.
/// </summary>
public static class SchemaEncoder
{
    private static readonly string[] TrueTexts = ["true", "1", "yes", "y", "ja"];
    private static readonly string[] FalseTexts = ["false", "0", "no", "n", "nej"];

    /// <summary>The encoded columns of <paramref name="schema"/>, in feature order.</summary>
    public static IReadOnlyList<EncodedColumn> Layout(DatasetSchema schema)
    {
        var columns = new List<EncodedColumn>();
        for (int f = 0; f < schema.Features.Count; f++)
        {
            var feature = schema.Features[f];
            if (feature.Type == ColumnType.Categorical)
            {
                int first = feature.Encoding == CategoricalEncoding.OneHotDropFirst ? 1 : 0;
                for (int l = first; l < feature.Levels.Count; l++) columns.Add(new EncodedColumn($"{feature.Name}_{feature.Levels[l]}", f, true));
            }
            else
            {
                columns.Add(new EncodedColumn(feature.Name, f, false));
            }
            if (feature.Missing?.Strategy == MissingStrategy.Indicator) columns.Add(new EncodedColumn($"{feature.Name}_missing", f, true));
        }
        return columns;
    }

    /// <summary>Encodes <paramref name="table"/>.</summary>
    /// <exception cref="DataFileException">A column is missing or extra, a value has the wrong type, is out of range
    /// or an unknown category, a feature has no values at all, or a classification label has fewer than two
    /// classes; a survival time is negative or an event is not 0/1. Messages name the file, the column and the line
    /// (CSV) or row (Parquet).</exception>
    /// <param name="table">The file as read.</param>
    /// <param name="schema">The job's schema.</param>
    /// <param name="splitColumn">The region's split column (<c>DatasetOptions.SplitColumn</c>), which is then no extra column; null: none.</param>
    public static EncodedRows Encode(RawTable table, DatasetSchema schema, string? splitColumn = null)
    {
        var path = table.Path;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < table.Columns.Count; i++) index[table.Columns[i]] = i;
        bool survival = schema.Label.Task == LabelTask.Survival;
        var used = schema.Features.Select(f => f.Name).Append(schema.Label.Name).Concat(survival ? [schema.Label.EventColumn] : []).ToList();
        if (!string.IsNullOrWhiteSpace(splitColumn) && used.Contains(splitColumn, StringComparer.Ordinal))
            throw new DataFileException(path, null, "it is this region's SplitColumn (train/test), so the job cannot use it as a feature or label.", $"column '{splitColumn}'");
        var known = new HashSet<string>(used.Concat(schema.IgnoredColumns), StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(splitColumn)) known.Add(splitColumn);
        foreach (var name in used)
            if (!index.ContainsKey(name))
                throw new DataFileException(path, null, $"missing column (the file has: {string.Join(", ", table.Columns)}).", $"column '{name}'");
        foreach (var name in table.Columns)
            if (!known.Contains(name))
                throw new DataFileException(path, null, "extra column: neither a feature, the label nor in ignored_columns of the job's schema.", $"column '{name}'");

        var layout = Layout(schema);
        var profile = new DataProfile { File = path, RowsRead = table.Rows.Count };
        var missing = new int[schema.Features.Count];
        int labelMissing = 0;
        var result = new EncodedRows(layout, [], [], [], profile, []);
        var labelIndex = index[schema.Label.Name];
        var eventIndex = survival ? index[schema.Label.EventColumn] : -1;
        for (int r = 0; r < table.Rows.Count; r++)
        {
            var row = table.Rows[r];
            int line = table.Lines[r];
            var encoded = new double[layout.Count];
            bool drop = false;
            int k = 0;
            for (int f = 0; f < schema.Features.Count; f++)
            {
                var feature = schema.Features[f];
                var cell = row[index[feature.Name]];
                if (cell is null)
                {
                    missing[f]++;
                    var strategy = feature.Missing?.Strategy ?? MissingStrategy.Unspecified;
                    if (strategy is MissingStrategy.Unspecified or MissingStrategy.DropRow) drop = true;
                }
                k = EncodeCell(path, line, feature, cell, encoded, k, table.Numbers);
            }
            var labelCell = row[labelIndex];
            var eventCell = survival ? row[eventIndex] : "";
            if (labelCell is null || eventCell is null)
            {
                labelMissing++;
                drop = true;
            }
            if (drop) continue;
            result.Features.Add(encoded);
            if (survival)
            {
                result.Times.Add(SurvivalTime(path, line, schema.Label, labelCell!, table.Numbers));
                result.Labels.Add(SurvivalEvent(path, line, schema.Label, eventCell!, table.Numbers));
            }
            else
            {
                result.Labels.Add(EncodeLabel(path, line, schema.Label, labelCell!, table.Numbers));
            }
            result.RowIndex.Add(r);
        }
        for (int f = 0; f < schema.Features.Count; f++)
        {
            profile.MissingPerColumn[schema.Features[f].Name] = missing[f];
            if (missing[f] == table.Rows.Count)
                throw new DataFileException(path, null, $"the column has no values (all {table.Rows.Count} rows are missing).", $"column '{schema.Features[f].Name}'");
        }
        profile.MissingPerColumn[schema.Label.Name] = labelMissing;
        profile.RowsDropped = table.Rows.Count - result.Labels.Count;
        if (survival)
            foreach (var g in result.Labels.GroupBy(l => ClassName(schema.Label, l)).OrderBy(g => g.Key, StringComparer.Ordinal))
                profile.LabelBalance[g.Key] = g.Count();
        if (schema.Label.Task is LabelTask.Binary or LabelTask.Multiclass)
        {
            foreach (var g in result.Labels.GroupBy(l => ClassName(schema.Label, l)).OrderBy(g => g.Key, StringComparer.Ordinal))
                profile.LabelBalance[g.Key] = g.Count();
            if (result.Labels.Count > 0 && profile.LabelBalance.Count < 2)
                throw new DataFileException(path, null,
                    $"the label has only one class ('{profile.LabelBalance.Keys.Single()}') in the {result.Labels.Count} usable rows; a classifier needs at least two.",
                    $"column '{schema.Label.Name}'");
        }
        return result;
    }

    /// <summary>The name of class <paramref name="value"/> as label counts report it: "0"/"1", or the level.</summary>
    public static string ClassName(LabelColumn label, float value) =>
        label.Task == LabelTask.Multiclass ? label.Levels[(int)value] : value.ToString(CultureInfo.InvariantCulture);

    private static int EncodeCell(string path, int line, FeatureColumn feature, string? cell, double[] encoded, int k, NumberFormatInfo numbers)
    {
        var field = $"column '{feature.Name}'";
        bool indicator = feature.Missing?.Strategy == MissingStrategy.Indicator;
        if (feature.Type == ColumnType.Categorical)
        {
            int first = feature.Encoding == CategoricalEncoding.OneHotDropFirst ? 1 : 0;
            int level = -1;
            if (cell is not null)
            {
                level = LevelMatcher.IndexOf(cell, feature.Levels, numbers);
                if (level < 0)
                    throw new DataFileException(path, line, $"unknown category '{cell}' (levels: {string.Join(", ", feature.Levels)}).", field,
                        outside: "not one of the schema's levels.");
            }
            for (int l = first; l < feature.Levels.Count; l++) encoded[k++] = cell is null ? double.NaN : level == l ? 1 : 0;
        }
        else
        {
            encoded[k++] = cell is null ? double.NaN : feature.Type == ColumnType.Boolean ? ParseBoolean(path, line, field, cell) : ParseNumber(path, line, feature, cell, numbers);
        }
        if (indicator) encoded[k++] = cell is null ? 1 : 0;
        return k;
    }

    private static double ParseNumber(string path, int line, FeatureColumn feature, string cell, NumberFormatInfo numbers)
    {
        var field = $"column '{feature.Name}'";
        if (!double.TryParse(cell, NumberStyles.Float, numbers, out var v) || !double.IsFinite(v))
            throw new DataFileException(path, line, $"'{cell}' is not a number (decimal separator '{numbers.NumberDecimalSeparator}').", field,
                outside: NotANumber);
        if ((feature.HasMin && v < feature.Min) || (feature.HasMax && v > feature.Max))
            throw new DataFileException(path, line,
                string.Create(CultureInfo.InvariantCulture, $"{v} is out of range [{(feature.HasMin ? feature.Min : double.NegativeInfinity)}, {(feature.HasMax ? feature.Max : double.PositiveInfinity)}]."), field,
                outside: "out of the schema's range.");
        return v;
    }

    private static double ParseBoolean(string path, int line, string field, string cell)
    {
        if (TrueTexts.Contains(cell, StringComparer.OrdinalIgnoreCase)) return 1;
        if (FalseTexts.Contains(cell, StringComparer.OrdinalIgnoreCase)) return 0;
        throw new DataFileException(path, line, $"'{cell}' is not a boolean (true/false, 1/0, yes/no).", field,
            outside: "not a boolean (true/false, 1/0, yes/no).");
    }

    private static readonly string[] EventLevels = ["0", "1"];

    // The kind of problem a refusal names outside the region (the cell itself stays in the region's log).
    private const string NotANumber = "not a number.";

    private static double SurvivalTime(string path, int line, LabelColumn label, string cell, NumberFormatInfo numbers)
    {
        var field = $"column '{label.Name}' (survival time)";
        if (!double.TryParse(cell, NumberStyles.Float, numbers, out var t) || !double.IsFinite(t))
            throw new DataFileException(path, line, $"'{cell}' is not a number (decimal separator '{numbers.NumberDecimalSeparator}').", field,
                outside: NotANumber);
        if (t < 0) throw new DataFileException(path, line, $"'{cell}' is a negative time; survival times are >= 0.", field,
            outside: "a negative time; survival times are >= 0.");
        return t;
    }

    private static float SurvivalEvent(string path, int line, LabelColumn label, string cell, NumberFormatInfo numbers) =>
        LevelMatcher.IndexOf(cell, EventLevels, numbers) switch
        {
            0 => 0f,
            1 => 1f,
            _ => throw new DataFileException(path, line, $"'{cell}' is not an event indicator (1: the event was observed, 0: censored).",
                $"column '{label.EventColumn}' (survival event)", outside: "not an event indicator (1: the event was observed, 0: censored)."),
        };

    private static float EncodeLabel(string path, int line, LabelColumn label, string cell, NumberFormatInfo numbers)
    {
        var field = $"column '{label.Name}' (label)";
        switch (label.Task)
        {
            case LabelTask.Binary when label.HasPositiveAbove:
                if (!double.TryParse(cell, NumberStyles.Float, numbers, out var v) || !double.IsFinite(v))
                    throw new DataFileException(path, line, $"'{cell}' is not a number.", field, outside: NotANumber);
                return v > label.PositiveAbove ? 1f : 0f;
            case LabelTask.Binary:
                // Positive when the cell is the positive level; another declared level is a negative; anything else
                // (a typo, a third code) must not silently count as a negative.
                if (LevelMatcher.IndexOf(cell, [label.PositiveLevel], numbers) == 0) return 1f;
                if (LevelMatcher.IndexOf(cell, label.Levels, numbers) >= 0) return 0f;
                throw new DataFileException(path, line, label.Levels.Count == 0
                    ? $"'{cell}' is not the positive level '{label.PositiveLevel}', and the job's label declares no other levels (levels) to tell a negative from a wrong value."
                    : $"'{cell}' is neither the positive level nor another declared level (levels: {string.Join(", ", label.Levels)}).", field,
                    outside: "not one of the label's levels.");
            case LabelTask.Multiclass:
                int level = LevelMatcher.IndexOf(cell, label.Levels, numbers);
                if (level < 0) throw new DataFileException(path, line, $"unknown class '{cell}' (classes: {string.Join(", ", label.Levels)}).", field,
                    outside: "not one of the label's classes.");
                return level;
            default:
                if (!double.TryParse(cell, NumberStyles.Float, numbers, out var y) || !double.IsFinite(y))
                    throw new DataFileException(path, line, $"'{cell}' is not a number (decimal separator '{numbers.NumberDecimalSeparator}').", field,
                        outside: NotANumber);
                return (float)y;
        }
    }
}
