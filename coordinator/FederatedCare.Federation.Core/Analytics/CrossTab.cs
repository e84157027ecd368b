namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// Pools the regions' cross-tabulations: each pooled cell, margin and total is the sum of the regions' and is
/// released only when every region released it (a pooled sum over a suppressed cell, less the released ones, would
/// give the suppressed cell). Pooled figures are functions of released figures only.
/// </summary>
public static class CrossTab
{
    /// <summary>The pooled table of <paramref name="regions"/> (region name and its release).</summary>
    /// <exception cref="InvalidReleaseException">A release is malformed, or the regions' levels differ.</exception>
    /// <exception cref="ArgumentException">No region.</exception>
    public static CrossTabRelease Pool(IReadOnlyList<(string Region, CrossTabRelease Release)> regions)
    {
        if (regions.Count == 0) throw new ArgumentException("a pooled cross-tab needs at least one region.", nameof(regions));
        var first = regions[0].Release;
        foreach (var (region, release) in regions)
        {
            release.Validate($"region {region}");
            if (!release.RowLevels.SequenceEqual(first.RowLevels, StringComparer.Ordinal) || !release.ColumnLevels.SequenceEqual(first.ColumnLevels, StringComparer.Ordinal))
                throw new InvalidReleaseException($"region {region} cross-tabulates other levels than {regions[0].Region}.");
        }
        var cells = first.RowLevels.Select((_, r) => (IReadOnlyList<long?>)first.ColumnLevels.Select((_, c) => CrossTabRelease.Sum(regions.Select(x => x.Release.Cells[r][c]))).ToList()).ToList();
        return new CrossTabRelease(first.RowLevels, first.ColumnLevels, cells,
            [.. first.RowLevels.Select((_, r) => CrossTabRelease.Sum(regions.Select(x => x.Release.RowTotals[r])))],
            [.. first.ColumnLevels.Select((_, c) => CrossTabRelease.Sum(regions.Select(x => x.Release.ColumnTotals[c])))],
            CrossTabRelease.Sum(regions.Select(x => x.Release.Total)));
    }
}
