using System.Text;
using CsvHelper;

namespace FederatedCare.NodeAgent.Data.Tabular;

/// <summary>
/// Reads a delimited text file with CsvHelper into a <see cref="RawTable"/>: RFC 4180 quoting, LF or CRLF line ends,
/// a UTF-8 byte-order mark skipped, cells trimmed, missing markers turned into <c>null</c>.
/// </summary>
public static class CsvTableReader
{
    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="DataFileException">Missing or unreadable file, invalid bytes for the encoding, empty file, no
    /// data rows, a header naming a column twice, column names that do not fit, or a row with the wrong number of
    /// fields. Every message names the file, and the line where there is one.</exception>
    public static RawTable Read(string path, TableReadSettings settings)
    {
        var rows = new List<string?[]>();
        var lines = new List<int>();
        string[]? header = null;
        int line = 0;
        try
        {
            if (new FileInfo(path).Length == 0) throw new DataFileException(path, null, "the file is empty.");
            if (settings.Delimiter.Length != 1 || settings.Delimiter[0] > 127)
                throw new DataFileException(path, null, $"the delimiter '{settings.Delimiter}' must be one ASCII character.");
            var options = new CsvReaderOptions
            {
                Separator = settings.Delimiter[0],
                HasHeader = false,
                TrackLineNumbers = true,
                TrimWhitespace = true,
                SkipEmptyLines = true,
                FieldCountMismatch = CsvFieldCountHandling.Allow,
            };
            // The StreamReader decodes (strictly, so invalid bytes are an error) and skips a byte-order mark.
            using var text = new StreamReader(path, settings.Encoding, detectEncodingFromByteOrderMarks: true);
            using var reader = CsvReader.Create(text, options);
            while (reader.Read())
            {
                line = (int)reader.LineNumber;
                var record = new string[reader.FieldCount];
                for (int i = 0; i < record.Length; i++) record[i] = reader.GetString(i);
                if (header is null)
                {
                    if (settings.HasHeader)
                    {
                        header = record;
                        CheckHeader(path, line, header, settings);
                        continue;
                    }
                    header = [.. settings.ColumnNames];
                }
                if (record.Length != header.Length)
                    throw new DataFileException(path, line, $"expected {header.Length} fields, found {record.Length}" + DelimiterHint(record, settings) + ".",
                        outside: $"expected {header.Length} fields, found {record.Length}.");
                var cells = new string?[record.Length];
                for (int i = 0; i < record.Length; i++) cells[i] = settings.MissingMarkers.Contains(record[i]) ? null : record[i];
                rows.Add(cells);
                lines.Add(line);
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataFileException(path, null, "file not found.", inner: e);
        }
        catch (DecoderFallbackException e)
        {
            throw new DataFileException(path, line + 1,
                $"the file is not valid {settings.Encoding.WebName} (invalid bytes {Convert.ToHexString(e.BytesUnknown ?? [])}); save it as UTF-8 or set Encoding=latin1.", inner: e,
                outside: $"the file is not valid {settings.Encoding.WebName} text.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CsvFormatException)
        {
            throw new DataFileException(path, line > 0 ? line : null, $"cannot read the file: {e.Message}", inner: e, outside: "cannot read the file.");
        }
        if (header is null) throw new DataFileException(path, null, "the file holds no rows.");
        if (rows.Count == 0) throw new DataFileException(path, null, "the file has a header but no data rows.");
        return new RawTable(path, header, rows, lines, settings.Numbers);
    }

    private static void CheckHeader(string path, int line, string[] header, TableReadSettings settings)
    {
        if (header.Length > 0 && header[0].Length > 0 && header[0][0] == '\uFEFF') header[0] = header[0][1..];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < header.Length; i++)
        {
            // The header holds column names, not cells: its problems may be told as they are.
            if (header[i].Length == 0) throw new DataFileException(path, line, $"header field {i + 1} is empty.", outside: $"header field {i + 1} is empty.");
            if (seen.TryGetValue(header[i], out var first))
            {
                var twice = $"the header names column '{header[i]}' twice (fields {first + 1} and {i + 1}).";
                throw new DataFileException(path, line, twice, outside: twice);
            }
            seen[header[i]] = i;
        }
    }

    /// <summary>A hint when one field holds another likely delimiter: the file was probably written with it.</summary>
    internal static string DelimiterHint(string[] record, TableReadSettings settings)
    {
        foreach (var candidate in new[] { ";", ",", "\t", "|" })
            if (candidate != settings.Delimiter && record.Length == 1 && record[0].Contains(candidate, StringComparison.Ordinal))
                return $" (the delimiter is '{settings.Delimiter}' but the line looks '{(candidate == "\t" ? "\\t" : candidate)}'-separated)";
        return "";
    }
}
