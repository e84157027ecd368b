namespace FederatedCare.Federation.Core.Analytics;

/// <summary>One figure of Table 1 (one line of <c>table1.csv</c>).</summary>
/// <param name="Variable">The column, or <see cref="Table1.RowsVariable"/> for the row count.</param>
/// <param name="Level">The level of a categorical count (<see cref="Table1.MissingLevel"/> for missing values); empty otherwise.</param>
/// <param name="Statistic">One of <see cref="Table1Statistics"/>.</param>
/// <param name="Region">The region, or <see cref="Table1.AllRegions"/> for the pooled figure.</param>
/// <param name="Value">The figure, or <c>null</c> when suppressed.</param>
public readonly record struct Table1Cell(string Variable, string Level, string Statistic, string Region, double? Value)
{
    /// <summary>The figure is withheld (a small cell, or a pooled figure that would reveal one).</summary>
    public bool Suppressed => Value is null;
}
