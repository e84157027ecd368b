using System.Globalization;

namespace FederatedCare.NodeAgent.Data;

/// <summary>
/// Reads a UCI Heart Disease "processed" file (e.g. <c>processed.cleveland.data</c>): no header, one patient per
/// line, 14 comma-separated numeric fields, <c>?</c> for a missing value. Numbers are parsed with the invariant
/// culture because the files mix <c>63.0</c>, <c>63</c> and <c>.7</c>, and a Swedish process culture would
/// otherwise expect a decimal comma.
/// </summary>
public static class UciHeartDiseaseFile
{
    /// <summary>The 14 attributes, in file order (see data/heart-disease/README.md).</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["age", "sex", "cp", "trestbps", "chol", "fbs", "restecg", "thalach", "exang", "oldpeak", "slope", "ca", "thal", "num"];

    /// <summary>Column indices used by the preprocessing.</summary>
    internal const int Cp = 2, RestEcg = 6, Num = 13;

    /// <summary>
    /// Reads every line. Element i of the result is line i (0-based, the numbering of <c>row_index</c> in
    /// flamby_split.csv): 14 values, <see cref="double.NaN"/> where the file says <c>?</c>.
    /// </summary>
    /// <exception cref="DataFileException">The file is missing or unreadable, or a line has the wrong number of
    /// fields, a non-numeric or non-finite value, or a categorical value out of range (cp 1–4, restecg 0–2,
    /// num a non-negative integer).</exception>
    public static IReadOnlyList<double[]> Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataFileException(path, null, "file not found.", inner: e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFileException(path, null, $"cannot read the file: {e.Message}", inner: e, outside: "cannot read the file.");
        }
        if (lines.Length == 0) throw new DataFileException(path, null, "the file is empty.");

        var rows = new double[lines.Length][];
        for (int i = 0; i < lines.Length; i++) rows[i] = ParseLine(path, i + 1, lines[i]);
        return rows;
    }

    private static double[] ParseLine(string path, int lineNumber, string line)
    {
        var fields = line.TrimEnd('\r').Split(',');
        if (fields.Length != Columns.Count)
        {
            var count = $"expected {Columns.Count} comma-separated fields, found {fields.Length}.";
            throw new DataFileException(path, lineNumber, count, outside: count);
        }
        var values = new double[fields.Length];
        for (int f = 0; f < fields.Length; f++)
        {
            var text = fields[f].Trim();
            if (text == "?")
            {
                values[f] = double.NaN;
                continue;
            }
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                throw new DataFileException(path, lineNumber, $"'{text}' is not a number (use '.' for decimals, '?' for missing).", FieldName(f),
                    outside: "not a number (use '.' for decimals, '?' for missing).");
            values[f] = v;
        }
        CheckCategory(path, lineNumber, values, Cp, 1, 4);
        CheckCategory(path, lineNumber, values, RestEcg, 0, 2);
        if (double.IsNaN(values[Num]))
            throw new DataFileException(path, lineNumber, "the diagnosis is missing.", FieldName(Num), outside: "the diagnosis is missing.");
        if (values[Num] < 0 || values[Num] != Math.Floor(values[Num]))
            throw new DataFileException(path, lineNumber, $"{values[Num].ToString(CultureInfo.InvariantCulture)} is not a diagnosis (0, 1, 2, 3 or 4).", FieldName(Num),
                outside: "not a diagnosis (0, 1, 2, 3 or 4).");
        return values;
    }

    private static void CheckCategory(string path, int lineNumber, double[] values, int f, int min, int max)
    {
        var v = values[f];
        if (double.IsNaN(v)) return; // missing: the row is dropped later
        if (v != Math.Floor(v) || v < min || v > max)
            throw new DataFileException(path, lineNumber,
                $"{v.ToString(CultureInfo.InvariantCulture)} is out of range (expected an integer {min}–{max}).", FieldName(f),
                outside: $"out of range (expected an integer {min}–{max}).");
    }

    /// <summary>How error messages name field <paramref name="index"/> (0-based): <c>field 3 (cp)</c>.</summary>
    internal static string FieldName(int index) => $"field {index + 1} ({Columns[index]})";
}
