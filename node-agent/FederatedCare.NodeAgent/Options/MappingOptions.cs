namespace FederatedCare.NodeAgent.Options;

/// <summary>
/// How a region's own extract becomes the columns and values the federation's jobs name
/// (<c>NodeAgent:Datasets:&lt;name&gt;:Mapping</c>): kept in the node's configuration, never in a job spec, so the
/// coordinator learns neither the region's column names nor its codes. Applied to every row as the file is read
/// (<see cref="Data.Tabular.ColumnMapper"/>), before any job's schema, so training and every analysis see the same
/// mapped rows. Checked at start by <see cref="MappingOptionsValidator"/>.
/// </summary>
public sealed class MappingOptions
{
    /// <summary>
    /// Per column of the file, keyed by the file's column name (the header's, or <see cref="DatasetOptions.ColumnNames"/>),
    /// what it becomes. Columns not listed pass unchanged.
    /// </summary>
    public Dictionary<string, ColumnMappingOptions> Columns { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Whether any column is mapped.</summary>
    public bool IsEmpty => Columns.Count == 0;
}

/// <summary>
/// One column's mapping: a new name, and at most one value transformation — recoding texts (<see cref="Values"/>),
/// or a numeric unit factor (<see cref="Factor"/>) optionally followed by cutting into levels (<see cref="Cut"/>).
/// Missing cells (the dataset's missing markers) stay missing.
/// </summary>
public sealed class ColumnMappingOptions
{
    /// <summary>The column's name in the job, e.g. <c>rfs</c> for a file's <c>event</c>. Empty: the file's name.</summary>
    public string Rename { get; set; } = "";

    /// <summary>
    /// Recoding, file text → job text, e.g. <c>{"ja": "1", "nej": "0"}</c>; matched exactly (case and all). A value
    /// not listed is an error naming file, column and line unless <see cref="KeepUnmappedValues"/>. (Configuration
    /// keys cannot hold ':' and are case-insensitive, so two codes differing only in case cannot both be listed.)
    /// </summary>
    public Dictionary<string, string> Values { get; set; } = new(StringComparer.Ordinal);

    /// <summary>With <see cref="Values"/>: pass values that are not listed through unchanged instead of refusing the file.</summary>
    public bool KeepUnmappedValues { get; set; }

    /// <summary>
    /// Unit factor of a numeric column: every value is multiplied by it, e.g. <c>10</c> for centimetres to the job's
    /// millimetres. Default 1 (no change; the text is kept as it is).
    /// </summary>
    public double Factor { get; set; } = 1;

    /// <summary>Cutting the (factored) numeric value into the job's category levels; null: no cut.</summary>
    public CutOptions? Cut { get; set; }
}

/// <summary>
/// Cutting a number into levels at cut points, like R's <c>cut()</c> with explicit closure: <c>Breaks [20, 50]</c>,
/// <c>Closed "right"</c>, <c>Levels ["&lt;=20", "20-50", "&gt;50"]</c> give (−∞, 20] → <c>&lt;=20</c>,
/// (20, 50] → <c>20-50</c>, (50, ∞) → <c>&gt;50</c>.
/// </summary>
public sealed class CutOptions
{
    /// <summary>The cut points, strictly increasing, in the unit after <see cref="ColumnMappingOptions.Factor"/>.</summary>
    public List<double> Breaks { get; set; } = [];

    /// <summary>
    /// Which end of each interval holds its cut point, required: <c>right</c> (a, b] — a value equal to a cut point
    /// falls in the interval below it — or <c>left</c> [a, b) — it falls in the interval above.
    /// </summary>
    public string Closed { get; set; } = "";

    /// <summary>One level per interval, lowest first: one more than <see cref="Breaks"/>.</summary>
    public List<string> Levels { get; set; } = [];

    /// <summary>The <see cref="Closed"/> value for (a, b].</summary>
    public const string Right = "right";

    /// <summary>The <see cref="Closed"/> value for [a, b).</summary>
    public const string Left = "left";
}
