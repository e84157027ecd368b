namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// Harrell's C of a risk score on right-censored rows, as R's <c>concordance(Surv(time, event) ~ score, reverse =
/// TRUE)</c> with its default weights: a pair is comparable when the earlier time is an event and the other row was
/// still at risk then (a later time, or the same time censored; two events at the same time are tied in the outcome
/// and not counted); it is concordant when the earlier event has the higher score, tied when the scores are equal.
/// C = (concordant + tied/2) / comparable. O(n log n): rows from the latest time down, the scores of those still at
/// risk kept in a Fenwick tree over score ranks.
/// </summary>
public static class HarrellConcordance
{
    /// <summary>C and the number of comparable pairs (C is NaN when there are none).</summary>
    /// <exception cref="ArgumentException">The three arrays differ in length.</exception>
    public static (double C, long Comparable) Compute(IReadOnlyList<double> times, IReadOnlyList<bool> events, IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(scores);
        int n = times.Count;
        if (events.Count != n || scores.Count != n) throw new ArgumentException("times, events and scores must have one value per row.");
        var distinct = scores.Distinct().Order().ToArray();
        var rank = scores.Select(s => Array.BinarySearch(distinct, s)).ToArray();
        var atRisk = new long[distinct.Length + 1];
        long inTree = 0, concordant = 0, discordant = 0, tied = 0;
        var order = Enumerable.Range(0, n).OrderByDescending(i => times[i]).ToArray();
        for (int at = 0; at < n;)
        {
            int end = at;
            while (end < n && times[order[end]] == times[order[at]]) end++;
            // Rows censored at this time were at risk when this time's events happened.
            for (int k = at; k < end; k++) if (!events[order[k]]) Add(atRisk, rank[order[k]]);
            inTree += Enumerable.Range(at, end - at).Count(k => !events[order[k]]);
            for (int k = at; k < end; k++)
            {
                int i = order[k];
                if (!events[i]) continue;
                long below = Prefix(atRisk, rank[i]), same = Prefix(atRisk, rank[i] + 1) - below;
                concordant += below;
                tied += same;
                discordant += inTree - below - same;
            }
            for (int k = at; k < end; k++) if (events[order[k]]) Add(atRisk, rank[order[k]]);
            inTree += Enumerable.Range(at, end - at).Count(k => events[order[k]]);
            at = end;
        }
        long comparable = concordant + discordant + tied;
        return (comparable > 0 ? (concordant + tied / 2.0) / comparable : double.NaN, comparable);
    }

    // Fenwick tree over ranks 0..m-1 stored 1-based.
    private static void Add(long[] tree, int rank)
    {
        for (int i = rank + 1; i < tree.Length; i += i & -i) tree[i]++;
    }

    // Count of ranks < rank.
    private static long Prefix(long[] tree, int rank)
    {
        long sum = 0;
        for (int i = rank; i > 0; i -= i & -i) sum += tree[i];
        return sum;
    }
}
