using System.Globalization;

namespace FederatedCare.Benchmarks.HeartDisease;

/// <summary>
/// FLamby's published Fed-Heart-Disease results (<c>flamby_published_results.csv</c>: method,seed,cleveland,hungary,
/// switzerland,va,mean), keyed by our method names (local_cleveland → local_halland, and so on).
/// </summary>
public static class PublishedResults
{
    /// <summary>Mean of the per-seed means for each method over the given seeds.</summary>
    public static IReadOnlyDictionary<string, double> MeanBySeeds(string path, IReadOnlySet<long> seeds)
    {
        var rename = Regions.FlambyCentres.Zip(Regions.Columns).ToDictionary(p => "local_" + p.First, p => "local_" + p.Second);
        return File.ReadLines(path).Skip(1)
            .Select(line => line.Split(','))
            .Where(f => seeds.Contains(long.Parse(f[1], CultureInfo.InvariantCulture)))
            .GroupBy(f => rename.GetValueOrDefault(f[0], f[0]))
            .ToDictionary(g => g.Key, g => g.Average(f => double.Parse(f[6], CultureInfo.InvariantCulture)));
    }
}
