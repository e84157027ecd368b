namespace FederatedCare.IntegrationTests;

/// <summary>Finds the repository's shipped data by walking up from the test binaries.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string HeartDisease => Path.Combine(Root, "data", "heart-disease");

    public static string Example(string name) => Path.Combine(Root, "examples", "heart-disease", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FederatedCare.sln"))) return dir.FullName;
        throw new InvalidOperationException("FederatedCare.sln not found above " + AppContext.BaseDirectory);
    }

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "fedcare-it-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
