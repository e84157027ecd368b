using System.Globalization;
using FederatedCare.Federation.Core.Analytics;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Jobs;

/// <summary>
/// Checks an analysis job (<see cref="JobSpec.Analysis"/>) at StartJob: the fields every job has (dataset, regions,
/// deadline), a schema fit for analyses (not normalised, treatment contrasts, rows with missing values dropped as R's
/// na.omit does), no training fields (an analysis trains nothing, and a field that would be ignored is refused), and
/// each step's own settings. Messages name the field, e.g. <c>spec.analysis.steps[0].cox: needs a survival label.</c>
/// </summary>
internal static class AnalysisSpecValidator
{
    /// <summary>The analysis kinds, as a job-spec file names them.</summary>
    private const string Kinds = "cox, kaplan_meier, log_rank, table1, crosstab";

    /// <summary>Null when valid, else the first problem.</summary>
    public static string? Validate(JobSpec spec)
    {
        var analysis = spec.Analysis;
        if (TrainingField(spec) is { } field) return $"spec.{field} is a training setting; an analysis job (spec.analysis) trains nothing: remove it.";
        if (spec.MinFitClients < 1) return $"spec.min_fit_clients (the fewest regions that must join) must be >= 1, got {spec.MinFitClients}.";
        if (spec.MinAvailableClients < 0) return $"spec.min_available_clients must be >= 0, got {spec.MinAvailableClients}.";
        if (!(double.IsFinite(spec.RoundDeadlineSeconds) && spec.RoundDeadlineSeconds >= 0))
            return "spec.round_deadline_seconds must be a finite number >= 0 (0: the coordinator's default).";
        if (spec.Regions.Any(string.IsNullOrWhiteSpace)) return "spec.regions must not contain empty names.";
        if (spec.Regions.Distinct(StringComparer.Ordinal).Count() != spec.Regions.Count) return "spec.regions lists a region twice.";
        if (spec.Regions.Count > 0 && spec.Regions.Count < spec.MinFitClients)
            return $"spec.min_fit_clients ({spec.MinFitClients}) exceeds the {spec.Regions.Count} regions in spec.regions.";
        if (spec.Schema is null) return "spec.schema is required for an analysis job: every region checks and encodes its file with it.";
        if (DatasetSchemaValidator.Validate(spec.Schema) is { } schemaProblem) return schemaProblem;
        if (SchemaProblem(spec.Schema) is { } problem) return problem;
        if (analysis.MinCellCount < 0) return $"spec.analysis.min_cell_count must be >= 0 (0: each region's own minimum), got {analysis.MinCellCount}.";
        if (analysis.Steps.Count == 0) return $"spec.analysis.steps is empty; list at least one analysis ({Kinds}).";
        for (int i = 0; i < analysis.Steps.Count; i++)
        {
            var at = $"spec.analysis.steps[{i}]";
            var step = analysis.Steps[i];
            var stepProblem = step.KindCase switch
            {
                AnalysisStep.KindOneofCase.Cox => Cox($"{at}.cox", step.Cox, spec.Schema),
                AnalysisStep.KindOneofCase.KaplanMeier => KaplanMeier($"{at}.kaplan_meier", step.KaplanMeier, spec.Schema),
                AnalysisStep.KindOneofCase.LogRank => Survival($"{at}.log_rank", step.LogRank.BinWidth, spec.Schema),
                AnalysisStep.KindOneofCase.Table1 => Table1($"{at}.table1", step.Table1, spec.Schema),
                AnalysisStep.KindOneofCase.Crosstab => CrossTab($"{at}.crosstab", step.Crosstab, spec.Schema),
                _ => $"{at} names no analysis; give one of: {Kinds}.",
            };
            if (stepProblem is not null) return stepProblem;
        }
        return null;
    }

    // The first training field set, or null.
    private static string? TrainingField(JobSpec spec) =>
        spec.Model is not null ? "model"
        : spec.Strategy is not null ? "strategy"
        : spec.Rounds != 0 ? "rounds"
        : spec.Local is not null ? "local"
        : spec.Privacy is not null ? "privacy"
        : spec.CrossSiteValidation ? "cross_site_validation"
        : spec.Mode != JobMode.Federated ? "mode"
        : spec.FractionFit != 0 ? "fraction_fit"
        : spec.EvaluateEvery != 0 ? "evaluate_every"
        : spec.MaxRoundRetries != 0 ? "max_round_retries"
        : spec.UpdateEncoding != TensorEncoding.Float32 ? "update_encoding"
        : null;

    private static string? SchemaProblem(DatasetSchema schema)
    {
        if (schema.Normalization is { Kind: not (NormalizationKind.Unspecified or NormalizationKind.None) })
            return "spec.schema.normalization: analyses work on the data's own scale; leave it unset or NORMALIZATION_KIND_NONE.";
        for (int i = 0; i < schema.Features.Count; i++)
        {
            var f = schema.Features[i];
            var at = $"spec.schema.features[{i}] ({f.Name})";
            if (f.Type == ColumnType.Categorical && f.Encoding == CategoricalEncoding.OneHot)
                return $"{at}: analyses use treatment contrasts (the first level the reference); leave encoding unset or CATEGORICAL_ENCODING_ONE_HOT_DROP_FIRST.";
            if (f.Missing is { Strategy: not (MissingStrategy.Unspecified or MissingStrategy.DropRow) })
                return $"{at}: analyses drop rows with a missing value (as R's na.omit); leave missing unset or MISSING_STRATEGY_DROP_ROW.";
        }
        return null;
    }

    private static string? Survival(string at, double binWidth, DatasetSchema schema)
    {
        if (schema.Label.Task != LabelTask.Survival)
            return $"{at}: needs a survival label (spec.schema.label.task LABEL_TASK_SURVIVAL with event_column).";
        if (!(double.IsFinite(binWidth) && binWidth >= 0))
            return $"{at}.bin_width must be a finite number >= 0 (0: exact event times), got {binWidth.ToString(CultureInfo.InvariantCulture)}.";
        return null;
    }

    private static string? KaplanMeier(string at, KaplanMeierSpec km, DatasetSchema schema)
    {
        if (Survival(at, km.BinWidth, schema) is { } problem) return problem;
        if (km.SummaryYears.Count > 1000) return $"{at}.summary_years lists {km.SummaryYears.Count} times, more than 1000.";
        for (int i = 0; i < km.SummaryYears.Count; i++)
            if (!(double.IsFinite(km.SummaryYears[i]) && km.SummaryYears[i] >= 0 && (i == 0 || km.SummaryYears[i] >= km.SummaryYears[i - 1])))
                return $"{at}.summary_years must be finite, >= 0 and ascending; [{i}] is {km.SummaryYears[i].ToString(CultureInfo.InvariantCulture)}.";
        return null;
    }

    /// <summary>Columns a Table 1 step takes at most (numeric and categorical together).</summary>
    private const int MaxTable1Columns = 100;

    private static string? Table1(string at, Table1Spec table1, DatasetSchema schema)
    {
        if (table1.Numeric.Count + table1.Categorical.Count == 0) return $"{at}: list at least one column in numeric or categorical.";
        if (table1.Numeric.Count + table1.Categorical.Count > MaxTable1Columns)
            return $"{at}: {table1.Numeric.Count + table1.Categorical.Count} columns, more than {MaxTable1Columns}.";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < table1.Numeric.Count; i++)
        {
            var column = table1.Numeric[i];
            var feature = schema.Features.FirstOrDefault(f => f.Name == column);
            if (feature is null) return $"{at}.numeric[{i}]: '{column}' is not a feature of spec.schema.";
            if (feature.Type == ColumnType.Categorical) return $"{at}.numeric[{i}]: '{column}' is categorical; list it under categorical.";
            if (!seen.Add(column)) return $"{at}.numeric[{i}]: '{column}' is listed twice.";
        }
        for (int i = 0; i < table1.Categorical.Count; i++)
        {
            var (column, levels) = (table1.Categorical[i].Column, table1.Categorical[i].Levels);
            bool known = column == schema.Label.EventColumn && schema.Label.Task == LabelTask.Survival || schema.Features.Any(f => f.Name == column);
            if (string.IsNullOrWhiteSpace(column) || !known)
                return $"{at}.categorical[{i}].column: '{column}' is not a feature of spec.schema nor its event column.";
            if (!seen.Add(column)) return $"{at}.categorical[{i}]: '{column}' is listed twice.";
            if (CrossTabPhase.Levels(schema, column, levels).Count == 0)
                return $"{at}.categorical[{i}].levels: '{column}' is numeric; list the levels to count.";
            if (levels.Count > 100 || levels.Distinct(StringComparer.Ordinal).Count() != levels.Count)
                return $"{at}.categorical[{i}].levels: at most 100 distinct levels.";
        }
        return null;
    }

    private static string? CrossTab(string at, CrossTabSpec crosstab, DatasetSchema schema)
    {
        foreach (var (field, column, levels) in new[] { ("rows", crosstab.Rows, crosstab.RowLevels), ("columns", crosstab.Columns, crosstab.ColumnLevels) })
        {
            bool known = column == schema.Label.EventColumn && schema.Label.Task == LabelTask.Survival || schema.Features.Any(f => f.Name == column);
            if (string.IsNullOrWhiteSpace(column) || !known)
                return $"{at}.{field}: '{column}' is not a feature of spec.schema nor its event column.";
            if (CrossTabPhase.Levels(schema, column, levels).Count == 0)
                return $"{at}.{field}_levels: '{column}' is numeric; list the levels to count.";
            if (levels.Count > 100 || levels.Distinct(StringComparer.Ordinal).Count() != levels.Count)
                return $"{at}.{field}_levels: at most 100 distinct levels.";
        }
        if (crosstab.Rows == crosstab.Columns) return $"{at}: rows and columns name the same column '{crosstab.Rows}'.";
        return null;
    }

    private static string? Cox(string at, CoxSpec cox, DatasetSchema schema)
    {
        if (!ProtoEnums.IsDefined(cox.Ties)) return ProtoEnums.NotOneOf($"{at}.ties", cox.Ties);
        if (!(double.IsFinite(cox.Tolerance) && cox.Tolerance is >= 0 and < 1))
            return $"{at}.tolerance must be in [0, 1) (0: {CoxPhase.DefaultTolerance.ToString(CultureInfo.InvariantCulture)}), got {cox.Tolerance.ToString(CultureInfo.InvariantCulture)}.";
        if (cox.MaxIterations is < 0 or > 1000) return $"{at}.max_iterations must be in [0, 1000] (0: {CoxPhase.DefaultMaxIterations}), got {cox.MaxIterations}.";
        if (schema.Label.Task != LabelTask.Survival)
            return $"{at}: a Cox model needs a survival label (spec.schema.label.task LABEL_TASK_SURVIVAL with event_column).";
        int terms = CoxTerms.Of(schema).Count;
        if (terms > CoxTerms.Max) return $"{at}: the schema gives {terms} covariate terms, more than the {CoxTerms.Max} a Cox analysis takes.";
        return null;
    }
}
