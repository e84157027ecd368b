namespace FederatedCare.NodeAgent.Options;

/// <summary>Where one local dataset lives and how to read it.</summary>
public sealed class DatasetOptions
{
    /// <summary>The data file, e.g. <c>data/heart-disease/processed.cleveland.data</c>.</summary>
    public string Path { get; set; } = "";

    /// <summary>
    /// The train/test assignment file (FLamby's <c>flamby_split.csv</c>). Empty: <c>flamby_split.csv</c> next to
    /// <see cref="Path"/>.
    /// </summary>
    public string SplitFile { get; set; } = "";

    /// <summary>
    /// CSV/Parquet: a column of the file holding <c>train</c> or <c>test</c> for each row (e.g. <c>split</c>): the
    /// region's own split, used instead of <see cref="SplitFile"/> and the node's seeded split; the column is then
    /// not a feature. Empty: none.
    /// </summary>
    public string SplitColumn { get; set; } = "";

    /// <summary>The file format; see <see cref="Data.DatasetFormats"/>. Default <c>uci-heart-disease</c>.</summary>
    public string Format { get; set; } = Data.DatasetFormats.UciHeartDisease;

    /// <summary>CSV: the field delimiter, e.g. <c>;</c> for Swedish extracts. Default <c>,</c>.</summary>
    public string Delimiter { get; set; } = ",";

    /// <summary>CSV: the decimal separator of numbers (<c>.</c> or <c>,</c>). Empty: the <see cref="Culture"/>'s, else <c>.</c>.</summary>
    public string DecimalSeparator { get; set; } = "";

    /// <summary>CSV: a culture name (e.g. <c>sv-SE</c>) whose decimal separator numbers use, unless <see cref="DecimalSeparator"/> is set.</summary>
    public string Culture { get; set; } = "";

    /// <summary>CSV: whether the first line names the columns. Default true; false needs <see cref="ColumnNames"/>.</summary>
    public bool HasHeader { get; set; } = true;

    /// <summary>CSV without a header: the column names, in file order.</summary>
    public List<string> ColumnNames { get; set; } = [];

    /// <summary>Cell texts that mean "missing". Empty: <c>""</c> and <c>NA</c>. UCI files use <c>?</c>.</summary>
    public List<string> MissingMarkers { get; set; } = [];

    /// <summary>CSV: the text encoding, <c>utf-8</c> (default; invalid bytes are an error) or <c>latin1</c>.</summary>
    public string Encoding { get; set; } = "utf-8";

    /// <summary>Without a split file: the fraction of rows (per class) the node's stratified split holds out for testing.</summary>
    public double TestFraction { get; set; } = 0.2;

    /// <summary>Without a split file: the seed of the node's stratified split.</summary>
    public int SplitSeed { get; set; } = 1;

    /// <summary>
    /// The fewest usable training rows with which this region joins a job and contributes statistics; with fewer it
    /// refuses the job. Default 10.
    /// </summary>
    public int MinRows { get; set; } = 10;

    /// <summary>The split file of a <c>uci-heart-disease</c> dataset: <see cref="SplitFile"/>, or <c>flamby_split.csv</c> next to the data file.</summary>
    public string ResolveSplitFile() =>
        string.IsNullOrWhiteSpace(SplitFile)
            ? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path)) ?? ".", "flamby_split.csv")
            : SplitFile;
}
