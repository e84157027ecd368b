namespace FederatedCare.NodeAgent.Data;

/// <summary>The data file formats the agent can read (the <c>Format</c> of a configured dataset).</summary>
public static class DatasetFormats
{
    /// <summary>UCI Heart Disease "processed" files (14 fields, <c>?</c> = missing), preprocessed as FLamby's Fed-Heart-Disease.</summary>
    public const string UciHeartDisease = "uci-heart-disease";

    /// <summary>A delimited text file read with the job's <c>DatasetSchema</c> (delimiter, decimals, header: node options).</summary>
    public const string Csv = "csv";

    /// <summary>An Apache Parquet file read with the job's <c>DatasetSchema</c>.</summary>
    public const string Parquet = "parquet";

    /// <summary>Every supported format.</summary>
    public static IReadOnlyList<string> All { get; } = [UciHeartDisease, Csv, Parquet];

    /// <summary>Whether the format is read per job with the job's schema (CSV, Parquet) rather than fixed.</summary>
    public static bool IsSchemaDriven(string? format) =>
        string.Equals(format, Csv, StringComparison.OrdinalIgnoreCase) || string.Equals(format, Parquet, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="format"/> is supported (case-insensitive).</summary>
    public static bool IsKnown(string? format) => All.Contains(format ?? "", StringComparer.OrdinalIgnoreCase);
}
