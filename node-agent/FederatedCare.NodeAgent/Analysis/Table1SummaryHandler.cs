using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// Table 1 of this region's training rows, all but the quartiles (those come from <see cref="QuantileCountsHandler"/>):
/// the row count, per numeric column its count, mean and M2 (<see cref="NumericSummary"/>), per categorical column the
/// count of each level (<see cref="CategorySummary"/>); every count small-cell suppressed here.
/// </summary>
public sealed class Table1SummaryHandler : IAnalysisHandler
{
    /// <inheritdoc />
    public AnalysisTask.KindOneofCase Kind => AnalysisTask.KindOneofCase.Table1Summary;

    /// <inheritdoc />
    public AnalysisAnswer Answer(AnalysisContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var spec = context.Request.Table1Summary.Spec ?? throw new AnalysisRefusedException("the Table 1 task names no columns.");
        var answer = new Table1SummaryAnswer { Rows = Released(SmallCellSuppression.Release(context.Data.Train.Count, context.MinCellCount)) };
        foreach (var column in spec.Numeric)
        {
            var summary = NumericSummary.Of(AnalysisColumns.NumericTrainValues(context, column), context.MinCellCount);
            answer.Numeric.Add(new NumericColumnSummary
            {
                Count = Released(summary.Count),
                Missing = Released(summary.Missing),
                Mean = summary.Mean ?? 0,
                SumOfSquaredDeviations = summary.SumOfSquaredDeviations ?? 0,
            });
        }
        foreach (var category in spec.Categorical)
        {
            var levels = AnalysisColumns.Levels(context, category.Column, category.Levels);
            CategorySummary summary;
            try
            {
                summary = CategorySummary.Of(AnalysisColumns.TrainValues(context, category.Column, levels), levels, context.MinCellCount);
            }
            catch (ArgumentException)
            {
                // The exception names the value; a refusal leaves the region, so it names the column and levels only.
                throw new AnalysisRefusedException($"'{category.Column}' has values that are none of the levels [{string.Join(", ", levels)}].");
            }
            var released = new CategoryColumnSummary { Missing = Released(summary.Missing) };
            released.Levels.AddRange(summary.Counts.Select(Released));
            answer.Categorical.Add(released);
        }
        return new AnalysisAnswer { Table1Summary = answer };
    }

    private static ReleasedCount Released(long? count) => count is { } c ? new ReleasedCount { Value = c } : new ReleasedCount { Suppressed = true };
}
