namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// Builds Table 1 per region and pooled from the regions' releases and the quartiles found by
/// <see cref="Table1QuantileProtocol"/>. Suppression rule for pooled figures: a pooled figure is the sum (or the
/// Chan pooling) of the regions' figures and is released only when every region released its figure; otherwise it is
/// suppressed too, because the pooled figure minus the released ones would reveal the suppressed cell. Pooled figures
/// are then functions of released figures only, so pooling reveals nothing a region withheld.
/// </summary>
public static class Table1
{
    /// <summary>The region name of pooled figures.</summary>
    public const string AllRegions = "all";

    /// <summary>The variable name of the row count.</summary>
    public const string RowsVariable = "rows";

    /// <summary>The level name of a categorical column's missing values.</summary>
    public const string MissingLevel = "missing";

    /// <summary>
    /// The table: rows, then per numeric column n, mean, sd, median, q1, q3 (and the count of missing values where any
    /// region has some), then per categorical column the count of each level (and of missing values where any region
    /// has some), each per region (in the order given) and pooled.
    /// </summary>
    /// <param name="regions">Each region's release; all list the same columns and levels in the same order.</param>
    /// <param name="quartiles">Quartiles by (variable, region or <see cref="AllRegions"/>); a missing key is suppressed.</param>
    /// <exception cref="InvalidReleaseException">The regions release different columns or levels, or impossible moments.</exception>
    public static IReadOnlyList<Table1Cell> Build(IReadOnlyList<(string Region, Table1Release Release)> regions,
        IReadOnlyDictionary<(string Variable, string Region), Quartiles> quartiles)
    {
        CheckSameLayout(regions);
        var cells = new List<Table1Cell>();
        AddCounts(cells, RowsVariable, "", Table1Statistics.N, regions, r => r.Rows);
        if (regions.Count == 0) return cells;
        for (int j = 0; j < regions[0].Release.Numeric.Count; j++)
        {
            string variable = regions[0].Release.Numeric[j].Variable;
            var moments = regions.Select(r => r.Release.Numeric[j].Moments).ToList();
            foreach (var (m, region) in moments.Select((m, i) => (m, regions[i].Region)))
                m?.Validate($"region {region}, {variable}");
            Moments? pooled = moments.All(m => m is not null) ? Moments.Pool(moments.Select(m => m!.Value)) : null;
            foreach (var (m, region) in moments.Select((m, i) => (m, regions[i].Region)).Append((pooled, AllRegions)))
            {
                cells.Add(new(variable, "", Table1Statistics.N, region, m?.Count));
                cells.Add(new(variable, "", Table1Statistics.Mean, region, m?.Mean));
                cells.Add(new(variable, "", Table1Statistics.StandardDeviation, region, m?.StandardDeviation));
                Quartiles? q = quartiles.TryGetValue((variable, region), out var found) ? found : null;
                cells.Add(new(variable, "", Table1Statistics.Median, region, q?.Median));
                cells.Add(new(variable, "", Table1Statistics.Q1, region, q?.Q1));
                cells.Add(new(variable, "", Table1Statistics.Q3, region, q?.Q3));
            }
            if (regions.Any(r => r.Release.Numeric[j].Missing != 0))
                AddCounts(cells, variable, MissingLevel, Table1Statistics.Count, regions, r => r.Numeric[j].Missing);
        }
        for (int j = 0; j < regions[0].Release.Categorical.Count; j++)
        {
            var first = regions[0].Release.Categorical[j];
            for (int l = 0; l < first.Levels.Count; l++)
                AddCounts(cells, first.Variable, first.Levels[l].Level, Table1Statistics.Count, regions, r => r.Categorical[j].Levels[l].Count);
            if (regions.Any(r => r.Release.Categorical[j].Missing != 0))
                AddCounts(cells, first.Variable, MissingLevel, Table1Statistics.Count, regions, r => r.Categorical[j].Missing);
        }
        return cells;
    }

    private static void AddCounts(List<Table1Cell> cells, string variable, string level, string statistic,
        IReadOnlyList<(string Region, Table1Release Release)> regions, Func<Table1Release, long?> count)
    {
        long? total = 0;
        foreach (var (region, release) in regions)
        {
            long? c = count(release);
            if (c < 0) throw new InvalidReleaseException($"region {region}: {variable} {level} count {c} is negative.");
            cells.Add(new(variable, level, statistic, region, c));
            total = total is null || c is null ? null : total + c;
        }
        cells.Add(new(variable, level, statistic, AllRegions, total));
    }

    private static void CheckSameLayout(IReadOnlyList<(string Region, Table1Release Release)> regions)
    {
        if (regions.Count == 0) return;
        var (firstRegion, first) = regions[0];
        string Layout(Table1Release r) => string.Join("; ", r.Numeric.Select(n => n.Variable)
            .Concat(r.Categorical.Select(c => c.Variable + " [" + string.Join(", ", c.Levels.Select(l => l.Level)) + "]")));
        foreach (var (region, release) in regions)
            if (Layout(release) != Layout(first))
                throw new InvalidReleaseException($"region {region} releases Table 1 columns {Layout(release)} but {firstRegion} releases {Layout(first)}.");
    }
}
