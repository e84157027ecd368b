using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// A cross-tab of two columns of this region's training rows (<see cref="CrossTabCounts"/>): cells under the minimum
/// cell count and the margins that sum them are withheld by the region.
/// </summary>
public sealed class CrossTabHandler : IAnalysisHandler
{
    /// <inheritdoc />
    public AnalysisTask.KindOneofCase Kind => AnalysisTask.KindOneofCase.Crosstab;

    /// <inheritdoc />
    public AnalysisAnswer Answer(AnalysisContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var spec = context.Request.Crosstab.Spec ?? throw new AnalysisRefusedException("the cross-tab task names no columns.");
        var rowLevels = AnalysisColumns.Levels(context, spec.Rows, spec.RowLevels);
        var columnLevels = AnalysisColumns.Levels(context, spec.Columns, spec.ColumnLevels);
        var table = CrossTabCounts.Of(AnalysisColumns.TrainValues(context, spec.Rows, rowLevels), rowLevels,
            AnalysisColumns.TrainValues(context, spec.Columns, columnLevels), columnLevels, context.MinCellCount);
        var answer = new CrossTabAnswer { Total = Released(table.Total) };
        answer.Cells.AddRange(table.Cells.SelectMany(row => row).Select(Released));
        answer.RowTotals.AddRange(table.RowTotals.Select(Released));
        answer.ColumnTotals.AddRange(table.ColumnTotals.Select(Released));
        return new AnalysisAnswer { Crosstab = answer };
    }

    private static ReleasedCount Released(long? count) => count is { } c ? new ReleasedCount { Value = c } : new ReleasedCount { Suppressed = true };
}
