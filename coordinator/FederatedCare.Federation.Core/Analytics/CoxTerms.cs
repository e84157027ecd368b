using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// The covariate terms of a Cox model from the job's schema, named and ordered as R's <c>coxph</c> names them: a
/// numeric or boolean feature is one term (its name); a categorical feature gives one term per level after the first
/// (treatment contrasts, the first level the reference), named feature + level, e.g. <c>size20-50</c>.
/// </summary>
public static class CoxTerms
{
    /// <summary>The most terms a Cox analysis may have (its information matrix has terms² values).</summary>
    public const int Max = 200;

    /// <summary>The terms of <paramref name="schema"/>'s features, in order.</summary>
    public static IReadOnlyList<string> Of(DatasetSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var terms = new List<string>();
        foreach (var feature in schema.Features)
        {
            if (feature.Type == ColumnType.Categorical) terms.AddRange(feature.Levels.Skip(1).Select(level => feature.Name + level));
            else terms.Add(feature.Name);
        }
        return terms;
    }
}
