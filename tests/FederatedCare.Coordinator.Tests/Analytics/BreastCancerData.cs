using System.Globalization;
using FederatedCare.Federation.Core.Analytics;

namespace FederatedCare.Coordinator.Tests.Analytics;

/// <summary>The repository's breast-cancer survival regions (data/breast-cancer-survival), read as plain CSV.</summary>
internal static class BreastCancerData
{
    /// <summary>File stem and region name, in the order the tests list regions.</summary>
    public static readonly (string File, string Region)[] Regions =
        [("halland", "Halland"), ("karolinska", "Karolinska"), ("sahlgrenska", "Sahlgrenska"), ("orebro", "Örebro")];

    public static string Directory { get; } = Path.Combine(Root(), "data", "breast-cancer-survival");

    private static readonly Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>> Cache = [];

    /// <summary>A region's training rows, column name → cell.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Train(string file)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(file, out var rows)) return rows;
            var lines = File.ReadAllLines(Path.Combine(Directory, file + ".csv"));
            var header = lines[0].Split(',');
            rows = [.. lines.Skip(1).Select(l => l.Split(','))
                .Select(cells => (IReadOnlyDictionary<string, string>)header.Zip(cells).ToDictionary(x => x.First, x => x.Second))
                .Where(r => r["split"] == "train")];
            return Cache[file] = rows;
        }
    }

    public static IReadOnlyList<IReadOnlyDictionary<string, string>> AllTrain => [.. Regions.SelectMany(r => Train(r.File))];

    public static double Number(IReadOnlyDictionary<string, string> row, string column) => double.Parse(row[column], CultureInfo.InvariantCulture);

    /// <summary>The exact survival counts of rows (what a region releases in exact mode), grouped here as the oracle.</summary>
    public static SurvivalCounts ExactCounts(IEnumerable<IReadOnlyDictionary<string, string>> rows, Func<double, double>? time = null)
    {
        var groups = rows.GroupBy(r => (time ?? (t => t))(Number(r, "rfstime"))).OrderBy(g => g.Key).ToList();
        return SurvivalCounts.FromExact([.. groups.Select(g => g.Key)], [.. groups.Select(g => (long)g.Count(r => r["rfs"] == "1"))],
            [.. groups.Select(g => (long)g.Count(r => r["rfs"] == "0"))]);
    }

    /// <summary>A reference CSV of R's (data/breast-cancer-survival/reference), column name → cell.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Reference(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(Directory, "reference", file));
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l => (IReadOnlyDictionary<string, string>)header.Zip(l.Split(',')).ToDictionary(x => x.First, x => x.Second))];
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FederatedCare.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No FederatedCare.sln above {AppContext.BaseDirectory}.");
    }
}
