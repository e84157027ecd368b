using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Protos.V1;
using static FederatedCare.Federation.Core.Jobs.AnalysisTables;

namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// A cross-tab of two columns per region and pooled as an analysis phase: one round in which every region releases
/// its small-cell-suppressed table (<see cref="CrossTabAnswer"/>), then <see cref="CrossTab.Pool"/>. Table
/// <c>crosstab</c>: <c>region,&lt;rows column&gt;,&lt;columns column&gt;,count,suppressed</c>, one line per cell, then
/// the margins (level <c>all</c>); a suppressed figure has an empty count. Region <c>all</c>: pooled.
/// </summary>
public sealed class CrossTabPhase(CrossTabSpec spec) : IAnalysisPhase
{
    /// <summary>The kind's name.</summary>
    public const string Name = "crosstab";

    /// <summary>The level of a margin line.</summary>
    public const string Margin = "all";

    /// <inheritdoc />
    public string Kind => Name;

    /// <inheritdoc />
    public async Task<AnalysisResult> RunAsync(AnalysisRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        var schema = run.Job.Spec.Schema;
        var rowLevels = Levels(schema, spec.Rows, spec.RowLevels);
        var columnLevels = Levels(schema, spec.Columns, spec.ColumnLevels);
        var replies = await run.AskAsync(new AnalysisTask { Crosstab = new CrossTabRequest { Spec = spec } }, ct).ConfigureAwait(false);
        var regions = new List<(string Region, CrossTabRelease Release)>();
        foreach (var (region, answer) in replies.FromEveryRegion("cross-tab"))
        {
            if (answer.KindCase != AnalysisAnswer.KindOneofCase.Crosstab || answer.Crosstab.Cells.Count != rowLevels.Count * columnLevels.Count
                || answer.Crosstab.RowTotals.Count != rowLevels.Count || answer.Crosstab.ColumnTotals.Count != columnLevels.Count)
                throw new JobFailedException($"cross-tab: region {region} did not answer with a {rowLevels.Count} × {columnLevels.Count} table.");
            var a = answer.Crosstab;
            regions.Add((region, new CrossTabRelease(rowLevels, columnLevels,
                [.. rowLevels.Select((_, r) => (IReadOnlyList<long?>)[.. columnLevels.Select((_, c) => Count(a.Cells[r * columnLevels.Count + c]))])],
                [.. a.RowTotals.Select(Count)], [.. a.ColumnTotals.Select(Count)], Count(a.Total))));
        }
        CrossTabRelease pooled;
        try
        {
            pooled = CrossTab.Pool(regions);
        }
        catch (InvalidReleaseException e)
        {
            throw new JobFailedException($"cross-tab: {e.Message}");
        }
        var lines = new List<IReadOnlyList<string>>();
        foreach (var (region, table) in regions.Append((Table1.AllRegions, pooled)))
        {
            for (int r = 0; r < rowLevels.Count; r++)
                for (int c = 0; c < columnLevels.Count; c++) lines.Add(Line(region, rowLevels[r], columnLevels[c], table.Cells[r][c]));
            for (int r = 0; r < rowLevels.Count; r++) lines.Add(Line(region, rowLevels[r], Margin, table.RowTotals[r]));
            for (int c = 0; c < columnLevels.Count; c++) lines.Add(Line(region, Margin, columnLevels[c], table.ColumnTotals[c]));
            lines.Add(Line(region, Margin, Margin, table.Total));
        }
        int suppressed = regions.Sum(x => x.Release.Cells.Sum(row => row.Count(v => v is null)));
        var result = new AnalysisResult
        {
            Summary = $"cross-tab {spec.Rows} × {spec.Columns} in {regions.Count} regions: {suppressed} region cells suppressed (under the minimum cell count)",
        };
        result.Tables.Add(Table(Name, ["region", spec.Rows, spec.Columns, "count", "suppressed"], lines));
        return result;
    }

    /// <summary>The levels counted: the spec's, else a categorical feature's, else 0/1 for the event column.</summary>
    public static IReadOnlyList<string> Levels(DatasetSchema schema, string column, IReadOnlyList<string> levels) =>
        levels.Count > 0 ? levels
        : column == schema.Label?.EventColumn ? ["0", "1"]
        : schema.Features.FirstOrDefault(f => f.Name == column) is { Type: ColumnType.Categorical } f ? [.. f.Levels]
        : [];

    private static long? Count(ReleasedCount count) => count is null || count.Suppressed ? null : count.Value;

    private static IReadOnlyList<string> Line(string region, string row, string column, long? count) =>
        [region, row, column, count is { } n ? Cell(n) : "", count is null ? "true" : "false"];
}
