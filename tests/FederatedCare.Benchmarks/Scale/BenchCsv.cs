using System.Globalization;

namespace FederatedCare.Benchmarks.Scale;

/// <summary>The figures of one bench run: printed as they come (<c>metric value unit</c>) and written as <c>bench.csv</c>
/// with header <c>metric,value,unit</c>.</summary>
public sealed class BenchCsv
{
    private readonly List<(string Metric, double Value, string Unit)> _rows = [];

    /// <summary>Adds and prints one figure.</summary>
    public void Add(string metric, double value, string unit)
    {
        _rows.Add((metric, value, unit));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{metric,-40} {value,12:F3} {unit}"));
    }

    /// <summary>Writes <c>DIR/bench.csv</c>.</summary>
    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllLines(Path.Combine(directory, "bench.csv"),
            ["metric,value,unit", .. _rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Metric},{r.Value:0.######},{r.Unit}"))]);
    }
}
