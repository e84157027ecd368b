using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// Pools the regions' statistics reports into <see cref="GlobalStatistics"/>: per encoded column the global mean
/// <c>Σsum / Σcount</c> and standard deviation <c>√((Σsumsq − Σsum²/n) / (n − 1))</c> (or <c>/ n</c> without
/// <see cref="Normalization.SampleStd"/>), and the summed label counts. Only sums and counts are ever used: no
/// region's rows reach the coordinator.
/// </summary>
public static class StatisticsPool
{
    /// <summary>Pools <paramref name="reports"/> (region → statistics).</summary>
    /// <exception cref="ArgumentException">The regions report different columns (names or order), or no rows.</exception>
    public static GlobalStatistics Pool(IReadOnlyDictionary<string, LocalStatistics> reports, bool sampleStd)
    {
        var global = new GlobalStatistics();
        if (reports.Count == 0) throw new ArgumentException("no region reported statistics.");
        var ordered = reports.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        var names = ordered[0].Value.Columns.Select(c => c.Name).ToList();
        foreach (var (region, s) in ordered)
            if (!s.Columns.Select(c => c.Name).SequenceEqual(names, StringComparer.Ordinal))
                throw new ArgumentException($"region {region} reports the columns [{string.Join(", ", s.Columns.Select(c => c.Name))}] " +
                    $"but {ordered[0].Key} reports [{string.Join(", ", names)}].");
        global.Regions.AddRange(ordered.Select(r => r.Key));
        global.TotalRows = ordered.Sum(r => r.Value.TrainRows);
        global.Columns.AddRange(names);
        for (int j = 0; j < names.Count; j++)
        {
            long n = 0;
            double sum = 0, squares = 0;
            foreach (var (_, s) in ordered)
            {
                n += s.Columns[j].Count;
                sum += s.Columns[j].Sum;
                squares += s.Columns[j].SumOfSquares;
            }
            if (n == 0) throw new ArgumentException($"column {names[j]} has no values in any region.");
            double mean = sum / n;
            long dof = sampleStd ? n - 1 : n;
            double variance = dof > 0 ? Math.Max(0, (squares - sum * mean) / dof) : 0;
            global.Mean.Add(mean);
            global.Std.Add(Math.Sqrt(variance));
        }
        foreach (var (_, s) in ordered)
            foreach (var (label, count) in s.LabelCounts)
                global.LabelCounts[label] = global.LabelCounts.GetValueOrDefault(label) + count;
        return global;
    }
}
