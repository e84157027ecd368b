using System.Text.Json;

namespace FederatedCare.NodeAgent.Data.Tabular;

/// <summary>
/// What a region's data team sees of a job's data, written next to the node and never sent: rows read, rows dropped
/// for missing values, missing values per column, label balance, train/test sizes. Only the counts the job spec
/// allows go to the coordinator (<see cref="Protos.V1.LocalStatistics"/>).
/// </summary>
public sealed class DataProfile
{
    /// <summary>The data file.</summary>
    public string File { get; set; } = "";
    /// <summary>The job whose schema was applied.</summary>
    public string JobId { get; set; } = "";
    /// <summary>Data rows in the file.</summary>
    public int RowsRead { get; set; }
    /// <summary>Rows dropped because a drop-row column or the label was missing.</summary>
    public int RowsDropped { get; set; }
    /// <summary>Missing cells per schema column (features and label).</summary>
    public Dictionary<string, int> MissingPerColumn { get; set; } = [];
    /// <summary>Usable rows per label value (classification) after dropping.</summary>
    public Dictionary<string, int> LabelBalance { get; set; } = [];
    /// <summary>Training rows.</summary>
    public int TrainRows { get; set; }
    /// <summary>Test rows.</summary>
    public int TestRows { get; set; }
    /// <summary>Why the region refused the job, if it did.</summary>
    public string? Refusal { get; set; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Writes the profile to <c>directory/&lt;dataset&gt;-&lt;job&gt;.json</c>; returns the path.</summary>
    public string Write(string directory, string dataset)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{dataset}-{JobId}.json");
        System.IO.File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
        return path;
    }
}
