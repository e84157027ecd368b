using System.Globalization;
using FederatedCare.NodeAgent.Training;

namespace FederatedCare.Benchmarks.Baselines;

/// <summary>
/// A baseline's results as CSV on stdout: header <c>centre,accuracy,auc</c>, one line per test set (FLamby's centre
/// names), then <c>mean</c> — FLamby's figure, the unweighted mean over the test sets. Six decimals like FLamby's
/// results files; <c>auc</c> is empty where undefined (a test set of one class), and so is the mean AUC then.
/// </summary>
public static class AccuracyCsv
{
    /// <summary>The header line.</summary>
    public const string Header = "centre,accuracy,auc";

    /// <summary>The CSV lines, header first.</summary>
    public static IEnumerable<string> Lines(IReadOnlyList<(HeartCentre Centre, Evaluation Result)> results)
    {
        yield return Header;
        foreach (var (centre, result) in results) yield return Line(centre.Name, result.Accuracy, result.Auc);
        double? meanAuc = results.All(r => r.Result.Auc is not null) ? results.Average(r => r.Result.Auc!.Value) : null;
        yield return Line("mean", results.Average(r => r.Result.Accuracy), meanAuc);
    }

    private static string Line(string name, double accuracy, double? auc) =>
        string.Create(CultureInfo.InvariantCulture, $"{name},{accuracy:F6},{(auc is { } a ? a.ToString("F6", CultureInfo.InvariantCulture) : "")}");
}
