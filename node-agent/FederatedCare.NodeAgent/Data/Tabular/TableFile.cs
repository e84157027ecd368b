using FederatedCare.NodeAgent.Options;

namespace FederatedCare.NodeAgent.Data.Tabular;

/// <summary>
/// Reads a configured CSV or Parquet dataset file into a <see cref="RawTable"/> and applies the region's
/// <see cref="DatasetOptions.Mapping"/> (<see cref="ColumnMapper"/>): every reader of a dataset sees the mapped rows.
/// </summary>
public static class TableFile
{
    /// <summary>Reads the file of <paramref name="options"/> according to its format.</summary>
    /// <exception cref="DataFileException">The file cannot be read (see the readers) or does not fit its mapping.</exception>
    public static RawTable Read(DatasetOptions options)
    {
        TableReadSettings settings;
        try
        {
            settings = TableReadSettings.From(options);
        }
        catch (Exception e) when (e is ArgumentException or System.Globalization.CultureNotFoundException)
        {
            throw new DataFileException(options.Path, null, e.Message, inner: e);
        }
        var table = options.Format.ToLowerInvariant() switch
        {
            DatasetFormats.Parquet => ParquetTableReader.Read(options.Path, settings),
            _ => CsvTableReader.Read(options.Path, settings),
        };
        return ColumnMapper.Apply(table, options.Mapping);
    }
}
