using System.Globalization;
using System.Text.Json;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// What a downloaded model needs to be applied to a new patient, stored in the metadata of each of a job's global
/// models (and so in every export): the encoded input columns in order and, with federated z-score, the pooled
/// statistics the regions normalised with. A new row, encoded as the schema says, becomes the model's input as
/// <c>x' = (x − feature_mean) / feature_scale</c> per column, where <c>feature_scale = feature_std + epsilon</c>, and
/// <c>0</c> / <c>1</c> for one-hot and indicator columns that <c>skip_categorical</c> leaves at 0/1 (as the nodes'
/// <c>Standardizer</c> does). With local z-score each region scaled with its own statistics, which never left it:
/// only the kind and the columns are recorded.
/// </summary>
public static class NormalizationExport
{
    /// <summary>Metadata key: the normalisation kind, e.g. <c>NORMALIZATION_KIND_ZSCORE_FEDERATED</c>.</summary>
    public const string Kind = "fedcare.normalization";

    /// <summary>Metadata key: the encoded input columns, a JSON array of names in input order.</summary>
    public const string FeatureNames = "fedcare.feature_names";

    /// <summary>Metadata key: per column the value subtracted, a JSON array (federated z-score only).</summary>
    public const string FeatureMean = "fedcare.feature_mean";

    /// <summary>Metadata key: per column the pooled standard deviation, a JSON array (federated z-score only).</summary>
    public const string FeatureStd = "fedcare.feature_std";

    /// <summary>Metadata key: per column the divisor, a JSON array (federated z-score only).</summary>
    public const string FeatureScale = "fedcare.feature_scale";

    /// <summary>Metadata key: how to apply them, in words.</summary>
    public const string Formula = "fedcare.formula";

    /// <summary>The metadata of a job's global models; empty without a schema.</summary>
    /// <param name="schema">The job's schema, or null.</param>
    /// <param name="pooled">The federation's pooled statistics (federated z-score), or null.</param>
    public static IReadOnlyDictionary<string, string> Metadata(DatasetSchema? schema, GlobalStatistics? pooled)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (schema is null) return metadata;
        var normalization = schema.Normalization ?? new Normalization();
        var columns = SchemaWidth.Columns(schema);
        metadata[Kind] = ProtoEnums.Name(normalization.Kind);
        metadata[FeatureNames] = JsonSerializer.Serialize(columns.Select(c => c.Name));
        if (normalization.Kind != NormalizationKind.ZscoreFederated || pooled is null || pooled.Mean.Count != columns.Count)
        {
            metadata[Formula] = normalization.Kind == NormalizationKind.ZscoreLocal
                ? "each region scaled its inputs with its own training statistics, which never left it: a new row cannot be scaled as any one region did"
                : "inputs are the encoded columns in feature_names order, unscaled";
            return metadata;
        }
        var mean = new double[columns.Count];
        var scale = new double[columns.Count];
        for (int j = 0; j < columns.Count; j++)
        {
            bool keep = normalization.SkipCategorical && columns[j].IsDummy;
            (mean[j], scale[j]) = keep ? (0, 1) : (pooled.Mean[j], pooled.Std[j] + normalization.Epsilon);
        }
        metadata[FeatureMean] = Numbers(mean);
        metadata[FeatureStd] = Numbers(pooled.Std);
        metadata[FeatureScale] = Numbers(scale);
        metadata[Formula] = "x' = (x - feature_mean) / feature_scale per encoded column in feature_names order; " +
            string.Create(CultureInfo.InvariantCulture, $"feature_scale = feature_std + {normalization.Epsilon:R}") +
            (normalization.SkipCategorical ? "; one-hot and indicator columns stay 0/1 (mean 0, scale 1)" : "");
        return metadata;
    }

    // A JSON array of round-trippable numbers.
    private static string Numbers(IEnumerable<double> values) =>
        "[" + string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";
}
