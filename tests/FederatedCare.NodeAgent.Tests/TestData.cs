using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Training;

namespace FederatedCare.NodeAgent.Tests;

/// <summary>The repository's heart-disease data, found by walking up from the test binaries.</summary>
internal static class TestData
{
    public static readonly string[] Centres =
        ["processed.cleveland.data", "processed.hungarian.data", "processed.switzerland.data", "processed.va.data"];

    private static readonly Lazy<string> Directory = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "heart-disease");
            if (File.Exists(Path.Combine(candidate, "flamby_split.csv"))) return candidate;
        }
        throw new InvalidOperationException($"data/heart-disease not found above {AppContext.BaseDirectory}.");
    });

    private static readonly Lazy<LocalDataset[]> All = new(() => Centres.Select(c => Load(c)).ToArray());

    public static string HeartDiseaseDirectory => Directory.Value;

    public static string SplitFile => Path.Combine(HeartDiseaseDirectory, "flamby_split.csv");

    public static string PathOf(string file) => Path.Combine(HeartDiseaseDirectory, file);

    public static LocalDataset Load(string file) => UciHeartDiseaseLoader.Load("heart-disease", PathOf(file), SplitFile);

    /// <summary>The four centres, loaded once per test run.</summary>
    public static IReadOnlyList<LocalDataset> Heart => All.Value;

    /// <summary>
    /// One CPU runtime for every test (threads can only be set once per process): one thread, or
    /// FC_TORCH_THREADS to measure another count.
    /// </summary>
    public static TorchRuntime Runtime { get; } =
        new(int.TryParse(Environment.GetEnvironmentVariable("FC_TORCH_THREADS"), out var t) && t > 0 ? t : 1, "cpu");
}
