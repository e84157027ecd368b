using System.Globalization;
using FederatedCare.NodeAgent.Analysis;
using FederatedCare.NodeAgent.Options;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.NodeAgent.Tests.Analysis;

/// <summary>The repository's breast-cancer survival regions, their job schema, and R's results on them (reference/).</summary>
internal static class SurvivalData
{
    /// <summary>File name → region, in R's order (make-reference.R).</summary>
    public static readonly (string File, string Region)[] Regions =
        [("halland", "Halland"), ("karolinska", "Karolinska"), ("sahlgrenska", "Sahlgrenska"), ("orebro", "Örebro")];

    private static readonly Lazy<string> Folder = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "breast-cancer-survival");
            if (File.Exists(Path.Combine(candidate, "SHA256SUMS"))) return candidate;
        }
        throw new InvalidOperationException($"data/breast-cancer-survival not found above {AppContext.BaseDirectory}.");
    });

    public static string PathOf(string file) => Path.Combine(Folder.Value, file);

    /// <summary>The job spec the demo submits (examples/breast-cancer-survival/cox.json).</summary>
    public static JobSpec Spec => JobSpecFile.Load(Path.Combine(Folder.Value, "..", "..", "examples", "breast-cancer-survival", "cox.json"));

    public static DatasetOptions Options(string path) => new() { Format = "csv", Path = path, SplitColumn = "split" };

    /// <summary>A region's analysis data as its node prepares it.</summary>
    public static AnalysisData Prepare(string file) =>
        AnalysisDataPreparer.Prepare("breast-cancer-survival", Options(PathOf(file + ".csv")), Spec.Schema);

    /// <summary>A reference CSV as rows of (column → text).</summary>
    public static List<Dictionary<string, string>> Reference(string name)
    {
        var lines = File.ReadAllLines(PathOf(Path.Combine("reference", name)));
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => header.Zip(l.Split(','), (h, v) => (h, v)).ToDictionary(p => p.h, p => p.v)).ToList();
    }

    public static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
