namespace FederatedCare.NodeAgent.Data.Tabular;

/// <summary>
/// A file encoded with a schema, before splitting and scaling: per kept row the encoded features (NaN where a value
/// is missing and the column imputes), the label (0/1, class index or value) and the row's 0-based index among the
/// file's data rows (the <c>row_index</c> of a split file). A survival label's label is the event (1/0) and its time
/// is in <see cref="Times"/> (empty for other tasks).
/// </summary>
public sealed record EncodedRows(IReadOnlyList<EncodedColumn> Columns, List<double[]> Features, List<float> Labels, List<int> RowIndex,
    DataProfile Profile, List<double> Times);
