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

    /// <summary>The file format; see <see cref="Data.DatasetFormats"/>. Default <c>uci-heart-disease</c>.</summary>
    public string Format { get; set; } = Data.DatasetFormats.UciHeartDisease;

    /// <summary>The split file to use: <see cref="SplitFile"/>, or <c>flamby_split.csv</c> next to the data file.</summary>
    public string ResolveSplitFile() =>
        string.IsNullOrWhiteSpace(SplitFile)
            ? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path)) ?? ".", "flamby_split.csv")
            : SplitFile;
}
