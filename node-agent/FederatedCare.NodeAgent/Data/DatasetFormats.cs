namespace FederatedCare.NodeAgent.Data;

/// <summary>The data file formats the agent can read (the <c>Format</c> of a configured dataset).</summary>
public static class DatasetFormats
{
    /// <summary>UCI Heart Disease "processed" files (14 fields, <c>?</c> = missing), preprocessed as FLamby's Fed-Heart-Disease.</summary>
    public const string UciHeartDisease = "uci-heart-disease";

    /// <summary>Every supported format.</summary>
    public static IReadOnlyList<string> All { get; } = [UciHeartDisease];

    /// <summary>Whether <paramref name="format"/> is supported (case-insensitive).</summary>
    public static bool IsKnown(string? format) => All.Contains(format ?? "", StringComparer.OrdinalIgnoreCase);
}
