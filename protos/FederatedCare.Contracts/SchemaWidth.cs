using FederatedCare.Protos.V1;

namespace FederatedCare.Protos.Wire;

/// <summary>
/// The number of encoded input columns a <see cref="DatasetSchema"/> gives (dataset.proto's encoded feature order): one
/// per numeric or boolean feature, one per level of a categorical feature (one fewer with
/// <c>CATEGORICAL_ENCODING_ONE_HOT_DROP_FIRST</c>), and one more for each indicator of missing values. The coordinator
/// checks a model's <c>in_features</c> against it at submission; the node's encoder lays out exactly these columns.
/// </summary>
public static class SchemaWidth
{
    /// <summary>The encoded width of <paramref name="schema"/>'s features.</summary>
    public static int Of(DatasetSchema schema) => schema.Features.Sum(f =>
        (f.Type == ColumnType.Categorical ? f.Levels.Count - (f.Encoding == CategoricalEncoding.OneHotDropFirst ? 1 : 0) : 1)
        + (f.Missing?.Strategy == MissingStrategy.Indicator ? 1 : 0));
}
