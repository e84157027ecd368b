using System.Globalization;
using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// A column of the region's analysis rows as category values, for counts: the survival label's event column as
/// <c>0</c>/<c>1</c>, a categorical feature as its level (read back from its treatment contrasts), any other feature
/// as its number, spelt as the matching level when a level names the same number (<c>"1"</c> for 1.0).
/// </summary>
internal static class AnalysisColumns
{
    /// <summary>The levels to count: <paramref name="levels"/>, or a categorical feature's own when none are given.</summary>
    /// <exception cref="AnalysisRefusedException">The column is not in the job's schema, or has no levels.</exception>
    public static IReadOnlyList<string> Levels(AnalysisContext context, string column, IReadOnlyList<string> levels)
    {
        if (levels.Count > 0) return levels;
        var feature = context.Task.Schema.Features.FirstOrDefault(f => f.Name == column);
        if (column == context.Task.Schema.Label?.EventColumn) return ["0", "1"];
        if (feature is { Type: ColumnType.Categorical }) return [.. feature.Levels];
        throw new AnalysisRefusedException(feature is null ? $"'{column}' is not a column of the job's schema." : $"'{column}' is numeric: the job must list the levels to count.");
    }

    /// <summary>Per training row the value of <paramref name="column"/>.</summary>
    /// <exception cref="AnalysisRefusedException">The column is not in the job's schema.</exception>
    public static string?[] TrainValues(AnalysisContext context, string column, IReadOnlyList<string> levels)
    {
        var schema = context.Task.Schema;
        var train = context.Data.Train;
        if (column == schema.Label?.EventColumn && train.Events.Length == train.Count)
            return [.. train.Events.Select(e => e ? "1" : "0")];
        var feature = schema.Features.FirstOrDefault(f => f.Name == column)
            ?? throw new AnalysisRefusedException($"'{column}' is not a column of the job's schema.");
        var terms = context.Data.Terms;
        if (feature.Type == ColumnType.Categorical)
        {
            var dummies = feature.Levels.Skip(1).Select(level => (level, at: IndexOf(terms, feature.Name + level))).ToList();
            return [.. train.Covariates.Select(x => dummies.FirstOrDefault(d => x[d.at] == 1).level ?? feature.Levels[0])];
        }
        int index = IndexOf(terms, feature.Name);
        var numbers = levels.Select(l => (l, ok: double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out var v), v)).Where(x => x.ok).ToList();
        return [.. train.Covariates.Select(x => numbers.FirstOrDefault(n => n.v == x[index]).l ?? x[index].ToString("R", CultureInfo.InvariantCulture))];
    }

    /// <summary>Per training row the value of the numeric feature <paramref name="column"/> (its design-matrix column).</summary>
    /// <exception cref="AnalysisRefusedException">The column is not a numeric feature of the job's schema.</exception>
    public static double[] NumericTrainValues(AnalysisContext context, string column)
    {
        var feature = context.Task.Schema.Features.FirstOrDefault(f => f.Name == column);
        if (feature is null || feature.Type == ColumnType.Categorical)
            throw new AnalysisRefusedException($"'{column}' is not a numeric feature of the job's schema.");
        int index = IndexOf(context.Data.Terms, feature.Name);
        return [.. context.Data.Train.Covariates.Select(x => x[index])];
    }

    private static int IndexOf(IReadOnlyList<string> terms, string term)
    {
        for (int i = 0; i < terms.Count; i++) if (terms[i] == term) return i;
        throw new AnalysisRefusedException($"'{term}' is not a term of this region's data.");
    }
}
