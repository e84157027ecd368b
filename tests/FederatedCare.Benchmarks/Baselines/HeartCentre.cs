using FederatedCare.NodeAgent.Data;

namespace FederatedCare.Benchmarks.Baselines;

/// <summary>
/// One of FLamby's four Fed-Heart-Disease centres: its name in FLamby's results files and its UCI file.
/// </summary>
/// <param name="Name">FLamby's name: <c>cleveland</c>, <c>hungary</c>, <c>switzerland</c> or <c>va</c>.</param>
/// <param name="File">The UCI file, e.g. <c>processed.hungarian.data</c>.</param>
public sealed record HeartCentre(string Name, string File)
{
    /// <summary>The centres in the column order of FLamby's results (and of the CSV this tool prints).</summary>
    public static IReadOnlyList<HeartCentre> All { get; } =
    [
        new("cleveland", "processed.cleveland.data"),
        new("hungary", "processed.hungarian.data"),
        new("switzerland", "processed.switzerland.data"),
        new("va", "processed.va.data"),
    ];

    /// <summary>
    /// The order FLamby concatenates the training rows for its pooled baseline (its dataset's file order:
    /// Cleveland, Switzerland, Hungarian, VA). Another order changes the pooled result (FLAMBY.md).
    /// </summary>
    public static IReadOnlyList<HeartCentre> PooledOrder { get; } = [All[0], All[2], All[1], All[3]];

    /// <summary>The centre called <paramref name="name"/> (FLamby's name or the file's, case-insensitive: <c>hungarian</c> works).</summary>
    /// <exception cref="ArgumentException">No such centre.</exception>
    public static HeartCentre Find(string name) =>
        All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)
                                || string.Equals(c.File, $"processed.{name}.data", StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown centre '{name}'; use {string.Join(", ", All.Select(c => c.Name))}.");

    /// <summary>
    /// Loads the centre from <paramref name="dataDirectory"/> (its UCI file and <c>flamby_split.csv</c>) with the node
    /// agent's loader: FLamby's features and split, z-scored with this centre's own training statistics.
    /// </summary>
    /// <exception cref="DataFileException">A file is missing or malformed.</exception>
    public LocalDataset Load(string dataDirectory) =>
        UciHeartDiseaseLoader.Load(Name, Path.Combine(dataDirectory, File), Path.Combine(dataDirectory, "flamby_split.csv"));
}
