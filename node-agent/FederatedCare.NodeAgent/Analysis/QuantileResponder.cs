namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// Answers the coordinator's quantile protocol for one job: per question the number of the region's values at or
/// below its threshold, and nothing else. It holds the coordinator to the protocol, so the counts cannot map the
/// region's distribution at will: every path must be a bisection of the ordered double keys that starts on the whole
/// finite range and continues into one half of the interval each time (at most 64 steps), a search has at most
/// <c>maxPathsPerSearch</c> paths (two per requested quantile), and a column whose count the region suppresses
/// (between 1 and the minimum cell count − 1, see <see cref="NumericSummary"/>) is not answered at all.
/// </summary>
public sealed class QuantileResponder
{
    private readonly Dictionary<string, ulong[]> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Variable, bool Pooled, int Path), (ulong Low, ulong High, ulong Probe)> _paths = [];
    private readonly int _maxPathsPerSearch;

    /// <summary>Prepares the answers for <paramref name="columns"/> (name → values, NaN = missing).</summary>
    /// <param name="columns">The numeric columns the job's Table 1 asks about.</param>
    /// <param name="minCellCount">The node's minimum cell count (≥ 1).</param>
    /// <param name="maxPathsPerSearch">Paths allowed per search (Table 1's three quartiles need up to six).</param>
    public QuantileResponder(IReadOnlyDictionary<string, double[]> columns, int minCellCount, int maxPathsPerSearch = 6)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPathsPerSearch, 1);
        _maxPathsPerSearch = maxPathsPerSearch;
        foreach (var (name, values) in columns)
            if (NumericSummary.Of(values, minCellCount).Count is > 0)
            {
                var keys = values.Where(v => !double.IsNaN(v)).Select(v => OrderedDoubleKey.Of(v + 0.0)).ToArray();
                Array.Sort(keys);
                _keys[name] = keys;
            }
    }

    /// <summary>The counts for one round's <paramref name="questions"/>, in their order.</summary>
    /// <exception cref="AnalysisRefusedException">A column is unknown or suppressed here, a threshold is not the next step of its path, or a search has too many paths.</exception>
    public long[] Answer(IReadOnlyList<ThresholdQuestion> questions)
    {
        var counts = new long[questions.Count];
        for (int i = 0; i < questions.Count; i++)
        {
            var q = questions[i];
            if (!_keys.TryGetValue(q.Variable, out var keys))
                throw new AnalysisRefusedException($"this region releases no quantile counts for '{q.Variable}' (not a numeric column of the job, or its count is suppressed).");
            if (double.IsNaN(q.Threshold)) throw new AnalysisRefusedException($"'{q.Variable}' path {q.Path}: the threshold is NaN.");
            ulong key = OrderedDoubleKey.Of(q.Threshold);
            Follow((q.Variable, q.Pooled, q.Path), key);
            counts[i] = UpperBound(keys, key);
        }
        return counts;
    }

    private void Follow((string Variable, bool Pooled, int Path) path, ulong key)
    {
        (ulong low, ulong high) = (OrderedDoubleKey.Lowest, OrderedDoubleKey.Highest);
        if (_paths.TryGetValue(path, out var last))
        {
            (low, high) = last.Low < last.Probe && key == OrderedDoubleKey.Middle(last.Low, last.Probe) ? (last.Low, last.Probe)
                : last.Probe < last.High && key == OrderedDoubleKey.Middle(last.Probe + 1, last.High) ? (last.Probe + 1, last.High)
                : throw new AnalysisRefusedException($"'{path.Variable}' path {path.Path}: the threshold is not the next bisection step.");
        }
        else
        {
            if (_paths.Keys.Count(p => p.Variable == path.Variable && p.Pooled == path.Pooled) >= _maxPathsPerSearch)
                throw new AnalysisRefusedException($"'{path.Variable}': more than {_maxPathsPerSearch} quantile paths in one search.");
            if (key != OrderedDoubleKey.Middle(low, high))
                throw new AnalysisRefusedException($"'{path.Variable}' path {path.Path}: a new path must start in the middle of the finite doubles.");
        }
        _paths[path] = (low, high, key);
    }

    private static long UpperBound(ulong[] sorted, ulong key)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = lo + (hi - lo) / 2;
            if (sorted[mid] <= key) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
