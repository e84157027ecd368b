using System.Globalization;

namespace FederatedCare.NodeAgent.Data;

/// <summary>
/// Reads FLamby's train/test assignment (<c>flamby_split.csv</c>, columns <c>center,file,split,row_index</c>;
/// <c>row_index</c> is the 0-based line number in the raw file named by <c>file</c>). Rows of one file are matched by
/// the data file's name, so the same split file serves every region.
/// </summary>
public static class FlambySplitFile
{
    /// <summary>One assignment: which raw line goes to which split, and where the split file says so.</summary>
    /// <param name="RowIndex">0-based line in the raw data file.</param>
    /// <param name="IsTrain">True for <c>train</c>, false for <c>test</c>.</param>
    /// <param name="SplitLine">1-based line in the split file (for error messages).</param>
    public readonly record struct Assignment(int RowIndex, bool IsTrain, int SplitLine);

    /// <summary>The assignments for <paramref name="dataFileName"/> in split-file order (ascending within a split).</summary>
    /// <exception cref="DataFileException">The split file is missing or malformed, or lists nothing for the data file.</exception>
    public static IReadOnlyList<Assignment> Read(string splitPath, string dataFileName)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(splitPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataFileException(splitPath, null, "split file not found.", inner: e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFileException(splitPath, null, $"cannot read the split file: {e.Message}", inner: e, outside: "cannot read the split file.");
        }
        if (lines.Length == 0) throw new DataFileException(splitPath, null, "the split file is empty.");

        var header = lines[0].TrimEnd('\r').Split(',').Select(h => h.Trim()).ToList();
        int fileCol = header.IndexOf("file"), splitCol = header.IndexOf("split"), rowCol = header.IndexOf("row_index");
        if (fileCol < 0 || splitCol < 0 || rowCol < 0)
            throw new DataFileException(splitPath, 1, "expected a header with the columns center,file,split,row_index.",
                outside: "expected a header with the columns center,file,split,row_index.");

        var result = new List<Assignment>();
        for (int i = 1; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0) continue;
            var fields = line.Split(',');
            if (fields.Length != header.Count)
            {
                var count = $"expected {header.Count} fields, found {fields.Length}.";
                throw new DataFileException(splitPath, i + 1, count, outside: count);
            }
            if (!string.Equals(fields[fileCol].Trim(), dataFileName, StringComparison.Ordinal)) continue;
            bool isTrain = fields[splitCol].Trim() switch
            {
                "train" => true,
                "test" => false,
                var other => throw new DataFileException(splitPath, i + 1, $"'{other}' is neither train nor test.", "split", outside: "neither train nor test."),
            };
            if (!int.TryParse(fields[rowCol].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var row))
                throw new DataFileException(splitPath, i + 1, $"'{fields[rowCol].Trim()}' is not a row number.", "row_index", outside: "not a row number.");
            result.Add(new Assignment(row, isTrain, i + 1));
        }
        if (result.Count == 0)
            throw new DataFileException(splitPath, null, $"no rows for data file '{dataFileName}'.");
        return result;
    }
}
