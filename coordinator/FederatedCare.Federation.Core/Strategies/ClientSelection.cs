namespace FederatedCare.Federation.Core.Strategies;

/// <summary>
/// Flower-style client sampling: n = max(min_fit_clients, ceil(fraction_fit × available)), drawn without replacement by
/// a <see cref="Random"/> seeded from (seed, round, attempt) over the region-sorted clients, so the same seed and the
/// same connected regions give the same selection in every run.
/// </summary>
public static class ClientSelection
{
    /// <summary>Selects the clients of a round; the result is sorted by region.</summary>
    /// <param name="available">Connected participating clients.</param>
    /// <param name="fractionFit">Fraction of the available clients to select, in (0, 1].</param>
    /// <param name="minFitClients">Lower bound on the selection (capped at the available count).</param>
    /// <param name="seed">The job seed.</param>
    /// <param name="round">The round, 1-based.</param>
    /// <param name="attempt">0 for the first try, then the retry number.</param>
    public static IReadOnlyList<AvailableClient> Sample(IReadOnlyList<AvailableClient> available, double fractionFit,
        int minFitClients, long seed, int round, int attempt)
    {
        int n = Math.Max(minFitClients, (int)Math.Ceiling(fractionFit * available.Count));
        n = Math.Min(n, available.Count);
        if (n == available.Count) return available.OrderBy(c => c.Region, StringComparer.Ordinal).ToList();
        var pool = available.OrderBy(c => c.Region, StringComparer.Ordinal).ToArray();
        var random = new Random(DeriveSeed(seed, round, attempt));
        // Partial Fisher-Yates: the first n slots become a uniform sample.
        for (int i = 0; i < n; i++)
        {
            int j = random.Next(i, pool.Length);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool.Take(n).OrderBy(c => c.Region, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// A 31-bit seed from (seed, round, attempt) by SplitMix64; <see cref="HashCode"/> is randomised per process and
    /// would break reproducibility.
    /// </summary>
    public static int DeriveSeed(long seed, int round, int attempt)
    {
        ulong z = unchecked((ulong)seed + 0x9E3779B97F4A7C15UL * (ulong)(uint)round + 0xBF58476D1CE4E5B9UL * (ulong)(uint)attempt);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & 0x7FFF_FFFF);
    }
}
