using FederatedCare.Protos.V1;

namespace FederatedCare.Protos.Wire;

/// <summary>
/// The encoded input columns a <see cref="DatasetSchema"/> gives (dataset.proto's encoded feature order): one per
/// numeric or boolean feature (its name), one per level of a categorical feature (<c>&lt;name&gt;_&lt;level&gt;</c>,
/// without the first level under <c>CATEGORICAL_ENCODING_ONE_HOT_DROP_FIRST</c>), and <c>&lt;name&gt;_missing</c> right
/// after a feature with an indicator of missing values. The coordinator checks a model's <c>in_features</c> against
/// the width and records the columns with each global model; the node's encoder lays out exactly these columns.
/// </summary>
public static class SchemaWidth
{
    /// <summary>One encoded column: its name, and whether it is a 0/1 one-hot or indicator column.</summary>
    public readonly record struct Column(string Name, bool IsDummy);

    /// <summary>The encoded columns of <paramref name="schema"/>'s features, in input order.</summary>
    public static IReadOnlyList<Column> Columns(DatasetSchema schema)
    {
        var columns = new List<Column>();
        foreach (var f in schema.Features)
        {
            if (f.Type == ColumnType.Categorical)
                for (int l = f.Encoding == CategoricalEncoding.OneHotDropFirst ? 1 : 0; l < f.Levels.Count; l++) columns.Add(new($"{f.Name}_{f.Levels[l]}", true));
            else
                columns.Add(new(f.Name, false));
            if (f.Missing?.Strategy == MissingStrategy.Indicator) columns.Add(new($"{f.Name}_missing", true));
        }
        return columns;
    }

    /// <summary>The encoded width of <paramref name="schema"/>'s features.</summary>
    public static int Of(DatasetSchema schema) => Columns(schema).Count;
}
