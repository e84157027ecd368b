namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// What a region releases for Kaplan–Meier and the log-rank test, computed on its own rows: counts only, never a row.
/// Exact mode (only where the node allows exact event times): per distinct observed time its events and censored
/// rows. Binned mode: per non-empty bin of the job's width its events, censored rows and the rows at risk at its
/// start, and no time at all. A region with fewer rows or fewer events than its minimum cell count refuses both
/// (the counts of so few would describe individuals; the Cox fit refuses alike).
/// </summary>
public static class SurvivalCountRelease
{
    /// <summary>Per distinct time (ascending) the events and censored rows.</summary>
    /// <param name="times">Follow-up times, days (finite, ≥ 0).</param>
    /// <param name="events">Per row whether the event was observed (otherwise censored).</param>
    /// <param name="minCellCount">The node's minimum cell count (≥ 1).</param>
    /// <param name="releaseExactEventTimes">The node's permission to release exact event times.</param>
    /// <exception cref="AnalysisRefusedException">Exact times are not permitted, or the region has too few rows or events.</exception>
    /// <exception cref="ArgumentException">The inputs differ in length or a time is negative or not finite.</exception>
    public static IReadOnlyList<ExactTimeCount> Exact(ReadOnlySpan<double> times, ReadOnlySpan<bool> events, int minCellCount, bool releaseExactEventTimes)
    {
        if (!releaseExactEventTimes)
            throw new AnalysisRefusedException("this region does not release exact event times (NodeAgent:Analysis:ReleaseExactEventTimes is false); ask for time bins.");
        Check(times, events, minCellCount);
        var byTime = new SortedDictionary<double, (long Events, long Censored)>();
        for (int i = 0; i < times.Length; i++)
        {
            var (e, c) = byTime.GetValueOrDefault(times[i] + 0.0);
            byTime[times[i] + 0.0] = events[i] ? (e + 1, c) : (e, c + 1);
        }
        return [.. byTime.Select(t => new ExactTimeCount(t.Key, t.Value.Events, t.Value.Censored))];
    }

    /// <summary>Per non-empty bin of width <paramref name="binWidth"/> days (ascending) the rows at risk at its start, events and censored rows.</summary>
    /// <param name="times">Follow-up times, days (finite, ≥ 0).</param>
    /// <param name="events">Per row whether the event was observed.</param>
    /// <param name="binWidth">The bin width, days (e.g. 30.4375 for months).</param>
    /// <param name="minCellCount">The node's minimum cell count (≥ 1).</param>
    /// <exception cref="AnalysisRefusedException">The region has too few rows or events.</exception>
    /// <exception cref="ArgumentException">The width is not positive, the inputs differ in length, a time is negative or not finite, or a bin index would exceed 2⁵³.</exception>
    public static IReadOnlyList<BinCount> Binned(ReadOnlySpan<double> times, ReadOnlySpan<bool> events, double binWidth, int minCellCount)
    {
        if (!double.IsFinite(binWidth) || binWidth <= 0) throw new ArgumentException($"the bin width {binWidth} is not a positive number of days.", nameof(binWidth));
        Check(times, events, minCellCount);
        var byBin = new SortedDictionary<long, (long Events, long Censored)>();
        for (int i = 0; i < times.Length; i++)
        {
            double bin = Math.Floor(times[i] / binWidth);
            if (bin > 1L << 53) throw new ArgumentException($"row {i}: the time falls in a bin past 2^53 of width {binWidth}: the bins are too narrow.", nameof(binWidth));
            var (e, c) = byBin.GetValueOrDefault((long)bin);
            byBin[(long)bin] = events[i] ? (e + 1, c) : (e, c + 1);
        }
        var counts = new List<BinCount>(byBin.Count);
        long atRisk = times.Length;
        foreach (var (bin, (e, c)) in byBin)
        {
            counts.Add(new BinCount(bin, atRisk, e, c));
            atRisk -= e + c;
        }
        return counts;
    }

    private static void Check(ReadOnlySpan<double> times, ReadOnlySpan<bool> events, int minCellCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minCellCount, 1);
        if (times.Length != events.Length) throw new ArgumentException($"{times.Length} times but {events.Length} event flags.", nameof(events));
        for (int i = 0; i < times.Length; i++)
            if (!double.IsFinite(times[i]) || times[i] < 0)
                throw new ArgumentException($"row {i}: the time is not a finite number of days ≥ 0 (the value stays in the region).", nameof(times));
        if (times.Length < minCellCount || times.Length == 0)
            throw new AnalysisRefusedException($"this region has {times.Length} rows, fewer than its minimum cell count {minCellCount}: it releases no survival counts.");
        int eventCount = 0;
        foreach (var e in events) if (e) eventCount++;
        if (eventCount < minCellCount)
            throw new AnalysisRefusedException($"only {eventCount} events among the {times.Length} rows, fewer than the minimum cell count {minCellCount}: this region releases no survival counts.");
    }
}
