using System.Globalization;

namespace FederatedCare.NodeAgent.Data.Tabular;

/// <summary>
/// A data file as read, before the schema is applied: column names and one string cell per column and row
/// (<c>null</c> = missing). Numbers in cells are parsed with <see cref="Numbers"/> (the file's decimal separator).
/// </summary>
/// <param name="Path">The file.</param>
/// <param name="Columns">Column names in file order.</param>
/// <param name="Rows">Data rows; each has <c>Columns.Count</c> cells.</param>
/// <param name="Lines">1-based location of each row for messages: the line in a CSV file, the row number in Parquet.</param>
/// <param name="Numbers">How numbers in cells are written.</param>
public sealed record RawTable(string Path, IReadOnlyList<string> Columns, IReadOnlyList<string?[]> Rows, IReadOnlyList<int> Lines,
    NumberFormatInfo Numbers);
