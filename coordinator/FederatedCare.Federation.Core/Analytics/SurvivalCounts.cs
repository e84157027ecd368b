namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// The survival counts of one population (a region, or regions pooled) at its time points, ascending: at each time
/// the number at risk just before it (rows whose time is at or after it), the events and the censored rows at it.
/// This is everything Kaplan–Meier and the log-rank test need, and all a region releases for them.
/// <list type="bullet">
/// <item>Exact mode (<see cref="FromExact"/>): the region's distinct observed times (event or censoring), in days.</item>
/// <item>Binned mode (<see cref="FromBins"/>): bin <c>k</c> holds the times in <c>[k·w, (k+1)·w)</c>; its counts
/// stand at the bin's end <c>(k+1)·w</c>. Every statistic is then exactly that of the times rounded up to the end of
/// their bin (R: <c>survfit(Surv(w * (floor(t / w) + 1), e) ~ 1)</c>), and no exact time is needed.</item>
/// </list>
/// </summary>
public sealed class SurvivalCounts
{
    private readonly double[] _times;
    private readonly long[] _atRisk, _events, _censored;

    private SurvivalCounts(double? binWidth, double[] times, long[] atRisk, long[] events, long[] censored)
    {
        BinWidth = binWidth;
        _times = times;
        _atRisk = atRisk;
        _events = events;
        _censored = censored;
    }

    /// <summary>The bin width in days in binned mode; <c>null</c> for exact times.</summary>
    public double? BinWidth { get; }

    /// <summary>Time points in days, strictly ascending.</summary>
    public IReadOnlyList<double> Times => _times;

    /// <summary>Rows at risk just before each time point (time at or after it).</summary>
    public IReadOnlyList<long> AtRisk => _atRisk;

    /// <summary>Events at each time point.</summary>
    public IReadOnlyList<long> Events => _events;

    /// <summary>Censored rows at each time point (still at risk at it).</summary>
    public IReadOnlyList<long> Censored => _censored;

    /// <summary>All rows counted.</summary>
    public long Rows => _atRisk.Length == 0 ? 0 : _atRisk[0];

    /// <summary>All events.</summary>
    public long TotalEvents => _events.Sum();

    /// <summary>Rows whose (in binned mode: rounded-up) time is at or after <paramref name="time"/>; 0 past the last.</summary>
    public long AtRiskAt(double time)
    {
        int i = FirstAtOrAfter(time);
        return i < _times.Length ? _atRisk[i] : 0;
    }

    /// <summary>Events at exactly <paramref name="time"/> (0 when it is not a time point).</summary>
    public long EventsAt(double time)
    {
        int i = FirstAtOrAfter(time);
        return i < _times.Length && _times[i] == time ? _events[i] : 0;
    }

    private int FirstAtOrAfter(double time)
    {
        int i = Array.BinarySearch(_times, time);
        return i >= 0 ? i : ~i;
    }

    /// <summary>
    /// Counts from a region's exact release: per distinct time (strictly ascending, finite, ≥ 0) its events and
    /// censored rows (at least one of the two). The numbers at risk follow: all rows minus those that left before.
    /// </summary>
    /// <exception cref="InvalidReleaseException">Lengths differ, a time is out of order, negative or not finite, or a count is negative or a time point empty.</exception>
    public static SurvivalCounts FromExact(IReadOnlyList<double> times, IReadOnlyList<long> events, IReadOnlyList<long> censored)
    {
        if (events.Count != times.Count || censored.Count != times.Count)
            throw new InvalidReleaseException($"exact survival counts: {times.Count} times but {events.Count} event and {censored.Count} censored counts.");
        var t = times.ToArray();
        for (int i = 0; i < t.Length; i++)
        {
            if (!double.IsFinite(t[i]) || t[i] < 0) throw new InvalidReleaseException($"exact survival counts: time {t[i]} at point {i} is not a finite time ≥ 0.");
            if (i > 0 && !(t[i] > t[i - 1])) throw new InvalidReleaseException($"exact survival counts: time {t[i]} at point {i} does not follow {t[i - 1]} in ascending order.");
        }
        return Build(null, t, events, censored, "exact survival counts");
    }

    /// <summary>
    /// Counts from a region's binned release: per non-empty bin (index ascending, bin <c>k</c> = times in
    /// <c>[k·w, (k+1)·w)</c> days) the rows at risk at the bin's start, its events and censored rows. The numbers at
    /// risk must agree with the counts (each bin's at-risk minus its events and censored rows is the next bin's).
    /// </summary>
    /// <exception cref="InvalidReleaseException">The width is not a positive finite number, lengths differ, bins are out of order, counts are negative or the numbers at risk do not add up.</exception>
    public static SurvivalCounts FromBins(double binWidth, IReadOnlyList<long> bins, IReadOnlyList<long> atRisk, IReadOnlyList<long> events, IReadOnlyList<long> censored)
    {
        const string what = "binned survival counts";
        if (!double.IsFinite(binWidth) || binWidth <= 0) throw new InvalidReleaseException($"{what}: bin width {binWidth} is not a positive number of days.");
        if (atRisk.Count != bins.Count || events.Count != bins.Count || censored.Count != bins.Count)
            throw new InvalidReleaseException($"{what}: {bins.Count} bins but {atRisk.Count} at-risk, {events.Count} event and {censored.Count} censored counts.");
        var t = new double[bins.Count];
        for (int i = 0; i < t.Length; i++)
        {
            if (bins[i] < 0 || (i > 0 && bins[i] <= bins[i - 1])) throw new InvalidReleaseException($"{what}: bin {bins[i]} at point {i} is negative or out of ascending order.");
            t[i] = (bins[i] + 1) * binWidth;
            if (!double.IsFinite(t[i])) throw new InvalidReleaseException($"{what}: bin {bins[i]} ends past the largest time.");
        }
        var counts = Build(binWidth, t, events, censored, what);
        for (int i = 0; i < t.Length; i++)
            if (atRisk[i] != counts._atRisk[i])
                throw new InvalidReleaseException($"{what}: bin {bins[i]} reports {atRisk[i]} at risk but the counts of it and the later bins add up to {counts._atRisk[i]}.");
        return counts;
    }

    private static SurvivalCounts Build(double? width, double[] times, IReadOnlyList<long> events, IReadOnlyList<long> censored, string what)
    {
        var e = events.ToArray();
        var c = censored.ToArray();
        var atRisk = new long[times.Length];
        long remaining = 0;
        for (int i = times.Length - 1; i >= 0; i--)
        {
            if (e[i] < 0 || c[i] < 0 || e[i] + c[i] == 0)
                throw new InvalidReleaseException($"{what}: point {i} has {e[i]} events and {c[i]} censored rows (counts are ≥ 0 and a point is not empty).");
            remaining = checked(remaining + e[i] + c[i]);
            atRisk[i] = remaining;
        }
        return new SurvivalCounts(width, times, atRisk, e, c);
    }

    /// <summary>
    /// Pools populations: at every time point of any of them the events and censored rows summed, so the numbers at
    /// risk are the sums of theirs. All must use the same mode (and bin width).
    /// </summary>
    /// <exception cref="InvalidReleaseException">The populations mix exact and binned counts or bin widths.</exception>
    public static SurvivalCounts Pool(IEnumerable<SurvivalCounts> populations)
    {
        var all = populations.ToList();
        if (all.Count == 0) return new SurvivalCounts(null, [], [], [], []);
        var width = all[0].BinWidth;
        if (all.Any(p => p.BinWidth != width))
            throw new InvalidReleaseException("survival counts mix exact times and bins, or bins of different widths: they cannot be pooled.");
        var byTime = new SortedDictionary<double, (long Events, long Censored)>();
        foreach (var p in all)
            for (int i = 0; i < p._times.Length; i++)
            {
                var (e, c) = byTime.GetValueOrDefault(p._times[i]);
                byTime[p._times[i]] = (e + p._events[i], c + p._censored[i]);
            }
        return Build(width, [.. byTime.Keys], [.. byTime.Values.Select(v => v.Events)], [.. byTime.Values.Select(v => v.Censored)], "pooled survival counts");
    }
}
