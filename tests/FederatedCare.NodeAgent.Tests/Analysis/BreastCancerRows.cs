using System.Globalization;

namespace FederatedCare.NodeAgent.Tests.Analysis;

/// <summary>A region's training rows of the repository's breast-cancer survival data, read as plain CSV.</summary>
internal static class BreastCancerRows
{
    private static readonly Lazy<string> Directory = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "breast-cancer-survival");
            if (File.Exists(Path.Combine(candidate, "halland.csv"))) return candidate;
        }
        throw new InvalidOperationException($"data/breast-cancer-survival not found above {AppContext.BaseDirectory}.");
    });

    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Train(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(Directory.Value, file + ".csv"));
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l => (IReadOnlyDictionary<string, string>)header.Zip(l.Split(',')).ToDictionary(x => x.First, x => x.Second))
            .Where(r => r["split"] == "train")];
    }

    public static double[] Numbers(IEnumerable<IReadOnlyDictionary<string, string>> rows, string column) =>
        [.. rows.Select(r => double.Parse(r[column], CultureInfo.InvariantCulture))];

    public static string?[] Cells(IEnumerable<IReadOnlyDictionary<string, string>> rows, string column) => [.. rows.Select(r => (string?)r[column])];
}
