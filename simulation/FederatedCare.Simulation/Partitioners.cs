using MathNet.Numerics.Distributions;

namespace FederatedCare.Simulation;

/// <summary>Splits a dataset's rows among clients.</summary>
public interface IPartitioner
{
    /// <summary>Row indices of each of <paramref name="clients"/> clients (a client may get none).</summary>
    IReadOnlyList<int[]> Split(Dataset data, int clients, int seed);
}

/// <summary>IID: rows shuffled (seeded) and dealt out in turn, so every client gets ⌊rows / clients⌋ or one more.</summary>
public sealed class IidPartitioner : IPartitioner
{
    /// <inheritdoc/>
    public IReadOnlyList<int[]> Split(Dataset data, int clients, int seed)
    {
        var order = Enumerable.Range(0, data.Rows).ToArray();
        new Random(seed).Shuffle(order);
        return Enumerable.Range(0, clients).Select(c => order.Where((_, i) => i % clients == c).ToArray()).ToList();
    }
}

/// <summary>
/// Label skew by a Dirichlet distribution (Hsu, Qi and Brown 2019, "Measuring the Effects of Non-Identical Data
/// Distribution for Federated Visual Classification"): for each class k, proportions pₖ ~ Dir(α·1) over the clients,
/// and class k's rows (shuffled) are cut into consecutive pieces of those sizes. Small α (0.1): each client sees few
/// classes; large α (100): close to IID. Clients may end up with no rows; simulations leave them out of rounds.
/// Sampled with MathNet.Numerics' <see cref="Dirichlet"/>.
/// </summary>
/// <param name="alpha">The concentration α &gt; 0.</param>
public sealed class DirichletPartitioner(double alpha) : IPartitioner
{
    /// <summary>The concentration α.</summary>
    public double Alpha { get; } = alpha > 0 && double.IsFinite(alpha) ? alpha : throw new ArgumentOutOfRangeException(nameof(alpha), "α must be > 0.");

    /// <inheritdoc/>
    public IReadOnlyList<int[]> Split(Dataset data, int clients, int seed)
    {
        var random = new Random(seed);
        var parts = Enumerable.Range(0, clients).Select(_ => new List<int>()).ToList();
        var dirichlet = new Dirichlet(Enumerable.Repeat(Alpha, clients).ToArray(), random);
        for (int k = 0; k < data.Classes; k++)
        {
            var rows = Enumerable.Range(0, data.Rows).Where(r => data.Labels[r] == k).ToArray();
            random.Shuffle(rows);
            var p = dirichlet.Sample();
            double cumulative = 0;
            int start = 0;
            for (int c = 0; c < clients; c++)
            {
                cumulative += p[c];
                int end = c == clients - 1 ? rows.Length : Math.Min(rows.Length, (int)Math.Round(cumulative * rows.Length));
                for (int i = start; i < end; i++) parts[c].Add(rows[i]);
                start = Math.Max(start, end);
            }
        }
        return parts.Select(p => p.ToArray()).ToList();
    }
}
