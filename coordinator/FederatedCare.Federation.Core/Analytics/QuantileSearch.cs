namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// Exact quantiles (R type 7, numpy's default: linear interpolation between order statistics) of a numeric column
/// whose rows stay in their regions, found by counting. For probability p over n values, h = (n − 1) p, and the
/// quantile is x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎) (0-based order statistics). Each needed order statistic x₍r₎ is
/// found by bisection on the ordered bit patterns of doubles (<see cref="OrderedDoubleKey"/>): the coordinator
/// proposes the middle threshold of the path's key interval, every region in the population answers how many of its
/// values are at or below it, and the interval keeps the half where the summed count first reaches r + 1. An interval
/// of one key is the value itself: no region ever sends a value, and the search takes at most 64 rounds whatever n is
/// (all paths advance together, one threshold each per round).
/// </summary>
public sealed class QuantileSearch
{
    private readonly long[] _ranks;
    private readonly ulong[] _low, _high;

    /// <summary>Starts a search for <paramref name="probabilities"/> over <paramref name="count"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is below 1 or a probability is outside [0, 1].</exception>
    public QuantileSearch(long count, IReadOnlyList<double> probabilities)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        foreach (var p in probabilities)
            if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(probabilities), p, "a probability is in [0, 1].");
        Count = count;
        Probabilities = [.. probabilities];
        _ranks = [.. probabilities.SelectMany(p => Ranks(count, p)).Distinct().Order()];
        _low = [.. _ranks.Select(_ => OrderedDoubleKey.Lowest)];
        _high = [.. _ranks.Select(_ => OrderedDoubleKey.Highest)];
    }

    /// <summary>Values in the population.</summary>
    public long Count { get; }

    /// <summary>The probabilities searched for.</summary>
    public IReadOnlyList<double> Probabilities { get; }

    /// <summary>Rounds answered so far.</summary>
    public int Rounds { get; private set; }

    /// <summary>Every order statistic is isolated.</summary>
    public bool IsComplete => Enumerable.Range(0, _ranks.Length).All(i => _low[i] == _high[i]);

    /// <summary>This round's questions: one per order statistic not yet isolated, in path order.</summary>
    public IReadOnlyList<BisectionProbe> Probes() =>
        [.. Enumerable.Range(0, _ranks.Length).Where(i => _low[i] != _high[i]).Select(i => new BisectionProbe(i, OrderedDoubleKey.ToDouble(OrderedDoubleKey.Middle(_low[i], _high[i]))))];

    /// <summary>Takes the population's answers to <see cref="Probes"/>: per probe, in its order, the values at or below its threshold summed over regions.</summary>
    /// <exception cref="InvalidReleaseException">The number of answers differs from the probes, or a count is outside [0, n].</exception>
    public void Advance(IReadOnlyList<long> countsAtOrBelow)
    {
        var probes = Probes();
        if (countsAtOrBelow.Count != probes.Count)
            throw new InvalidReleaseException($"quantile search: {countsAtOrBelow.Count} counts answer {probes.Count} thresholds.");
        for (int j = 0; j < probes.Count; j++)
        {
            long c = countsAtOrBelow[j];
            if (c < 0 || c > Count) throw new InvalidReleaseException($"quantile search: {c} values at or below {probes[j].Threshold} of {Count}.");
            int i = probes[j].Path;
            ulong middle = OrderedDoubleKey.Middle(_low[i], _high[i]);
            if (c >= _ranks[i] + 1) _high[i] = middle;
            else _low[i] = middle + 1;
        }
        Rounds++;
    }

    /// <summary>The type-7 quantile at <paramref name="probability"/> (one of <see cref="Probabilities"/>).</summary>
    /// <exception cref="InvalidOperationException">The search is not complete.</exception>
    /// <exception cref="ArgumentException">The probability was not searched for.</exception>
    public double Quantile(double probability)
    {
        if (!IsComplete) throw new InvalidOperationException("the quantile search is not complete.");
        if (!Probabilities.Contains(probability)) throw new ArgumentException($"probability {probability} was not searched for.", nameof(probability));
        double h = (Count - 1) * probability;
        long low = (long)Math.Floor(h);
        double lowValue = OrderStatistic(low);
        return h > low ? lowValue + (h - low) * (OrderStatistic(low + 1) - lowValue) : lowValue;
    }

    private double OrderStatistic(long rank) => OrderedDoubleKey.ToDouble(_low[Array.BinarySearch(_ranks, rank)]) + 0.0;

    private static IEnumerable<long> Ranks(long count, double p)
    {
        double h = (count - 1) * p;
        long low = (long)Math.Floor(h);
        yield return low;
        if (h > low) yield return low + 1;
    }
}
