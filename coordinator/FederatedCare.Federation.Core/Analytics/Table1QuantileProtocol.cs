namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// The counting protocol that finds Table 1's exact quartiles per region and pooled (<see cref="QuantileSearch"/>),
/// all searches in step: each round every region gets, per numeric column, the thresholds of the pooled search and of
/// its own search (<see cref="Questions"/>) and answers with its count of values at or below each; the pooled search
/// advances on the counts summed over regions, a region's own on its count. Done after at most 64 rounds.
/// A region whose count for a column was suppressed (or is 0) takes no part for that column: its own quartiles and
/// the pooled ones are then not searched (suppressed, as the pooled rule of <see cref="Table1"/> says).
/// What a region releases: per round and question one count of its rows at or below a threshold; what the
/// coordinator learns at the end: the order statistics, values of some region's rows.
/// </summary>
public sealed class Table1QuantileProtocol
{
    private readonly List<string> _regions;
    private readonly Dictionary<string, QuantileSearch> _pooled = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Variable, string Region), QuantileSearch> _own = [];
    private readonly List<string> _variables;

    /// <summary>Sets up the searches from the regions' Table 1 releases (the counts of each numeric column).</summary>
    /// <param name="regions">Each region's release; all list the same numeric columns in the same order.</param>
    /// <exception cref="InvalidReleaseException">The regions release different numeric columns.</exception>
    public Table1QuantileProtocol(IReadOnlyList<(string Region, Table1Release Release)> regions)
    {
        _regions = [.. regions.Select(r => r.Region)];
        _variables = regions.Count == 0 ? [] : [.. regions[0].Release.Numeric.Select(n => n.Variable)];
        foreach (var (region, release) in regions)
        {
            if (!release.Numeric.Select(n => n.Variable).SequenceEqual(_variables, StringComparer.Ordinal))
                throw new InvalidReleaseException($"region {region} releases the numeric columns [{string.Join(", ", release.Numeric.Select(n => n.Variable))}], " +
                    $"not [{string.Join(", ", _variables)}].");
            foreach (var n in release.Numeric)
                if (n.Moments is { Count: > 0 } m) _own[(n.Variable, region)] = new QuantileSearch(m.Count, Quartiles.Probabilities);
        }
        for (int j = 0; j < _variables.Count; j++)
        {
            var counts = regions.Select(r => r.Release.Numeric[j].Moments).ToList();
            if (counts.All(m => m is not null) && counts.Sum(m => m!.Value.Count) is var total and > 0)
                _pooled[_variables[j]] = new QuantileSearch(total, Quartiles.Probabilities);
        }
    }

    /// <summary>Every search is complete.</summary>
    public bool IsComplete => _pooled.Values.Concat(_own.Values).All(s => s.IsComplete);

    /// <summary>Rounds answered so far.</summary>
    public int Rounds { get; private set; }

    /// <summary>This round's questions for <paramref name="region"/>: per numeric column the pooled search's probes, then its own.</summary>
    public IReadOnlyList<QuantileQuestion> Questions(string region)
    {
        var questions = new List<QuantileQuestion>();
        foreach (var variable in _variables)
        {
            if (_pooled.TryGetValue(variable, out var pooled) && Takes(region, variable))
                questions.AddRange(pooled.Probes().Select(p => new QuantileQuestion(variable, true, p.Path, p.Threshold)));
            if (_own.TryGetValue((variable, region), out var own))
                questions.AddRange(own.Probes().Select(p => new QuantileQuestion(variable, false, p.Path, p.Threshold)));
        }
        return questions;
    }

    private bool Takes(string region, string variable) => _own.ContainsKey((variable, region));

    /// <summary>Takes every region's answers to this round's <see cref="Questions"/> (region → counts in question order) and advances all searches.</summary>
    /// <exception cref="InvalidReleaseException">A region's answers are missing or do not match its questions, or a count is impossible.</exception>
    public void Answer(IReadOnlyDictionary<string, IReadOnlyList<long>> answers)
    {
        var pooledCounts = _pooled.ToDictionary(p => p.Key, p => new long[p.Value.Probes().Count], StringComparer.Ordinal);
        var ownCounts = new Dictionary<(string, string), List<long>>();
        foreach (var region in _regions)
        {
            var questions = Questions(region);
            if (!answers.TryGetValue(region, out var counts) || counts.Count != questions.Count)
                throw new InvalidReleaseException($"region {region} answered {(counts is null ? "nothing" : counts.Count + " counts")} to {questions.Count} quantile thresholds.");
            for (int i = 0; i < questions.Count; i++)
            {
                var q = questions[i];
                if (q.Pooled)
                {
                    var probes = _pooled[q.Variable].Probes();
                    int at = probes.ToList().FindIndex(p => p.Path == q.Path);
                    pooledCounts[q.Variable][at] = checked(pooledCounts[q.Variable][at] + counts[i]);
                }
                else
                {
                    if (!ownCounts.TryGetValue((q.Variable, region), out var list)) ownCounts[(q.Variable, region)] = list = [];
                    list.Add(counts[i]);
                }
            }
        }
        foreach (var (variable, search) in _pooled)
            if (!search.IsComplete) search.Advance(pooledCounts[variable]);
        foreach (var (key, search) in _own)
            if (!search.IsComplete) search.Advance(ownCounts[key]);
        Rounds++;
    }

    /// <summary>The quartiles found, by (variable, region or <see cref="Table1.AllRegions"/>); searches not run are absent.</summary>
    /// <exception cref="InvalidOperationException">The protocol is not complete.</exception>
    public IReadOnlyDictionary<(string Variable, string Region), Quartiles> Results()
    {
        if (!IsComplete) throw new InvalidOperationException("the quantile protocol is not complete.");
        static Quartiles Of(QuantileSearch s) => new(s.Quantile(0.25), s.Quantile(0.5), s.Quantile(0.75));
        var results = _own.ToDictionary(o => o.Key, o => Of(o.Value));
        foreach (var (variable, search) in _pooled) results[(variable, Table1.AllRegions)] = Of(search);
        return results;
    }
}
