using System.Globalization;
using Parquet.Serialization;

namespace FederatedCare.NodeAgent.Data.Tabular;

/// <summary>
/// Reads an Apache Parquet file (Parquet.Net) into a <see cref="RawTable"/>: every flat column becomes text in the
/// invariant culture (numbers round-trip exactly), nulls become missing. Row numbers in messages are 1-based.
/// </summary>
public static class ParquetTableReader
{
    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="DataFileException">Missing, unreadable or malformed file, or no rows.</exception>
    public static RawTable Read(string path, TableReadSettings settings)
    {
        try
        {
            using var stream = File.OpenRead(path);
            if (stream.Length == 0) throw new DataFileException(path, null, "the file is empty.");
            var result = ParquetSerializer.DeserializeUntypedAsync(stream).GetAwaiter().GetResult();
            var columns = result.Schema.GetDataFields().Select(f => f.Name).ToList();
            var rows = new List<string?[]>();
            foreach (var record in result.Data)
            {
                var cells = new string?[columns.Count];
                for (int i = 0; i < columns.Count; i++)
                {
                    var text = record.TryGetValue(columns[i], out var v) ? Format(v) : null;
                    cells[i] = text is null || settings.MissingMarkers.Contains(text) ? null : text;
                }
                rows.Add(cells);
            }
            if (rows.Count == 0) throw new DataFileException(path, null, "the file has columns but no rows.");
            return new RawTable(path, columns, rows, Enumerable.Range(1, rows.Count).ToList(), CultureInfo.InvariantCulture.NumberFormat);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataFileException(path, null, "file not found.", inner: e);
        }
        catch (Exception e) when (e is not DataFileException)
        {
            throw new DataFileException(path, null, $"not a readable Parquet file: {e.Message}", inner: e, outside: "not a readable Parquet file.");
        }
    }

    private static string? Format(object? value) => value switch
    {
        null => null,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
