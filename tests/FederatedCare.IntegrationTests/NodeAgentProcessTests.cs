namespace FederatedCare.IntegrationTests;

/// <summary>The node agent as an operator starts it: a separate process, with a broken or missing data file.</summary>
public sealed class NodeAgentProcessTests
{
    [Fact]
    public async Task A_malformed_data_file_stops_the_agent_with_a_message_naming_the_file_and_line()
    {
        var dir = RepositoryPaths.TempDirectory();
        var file = Path.Combine(dir, "processed.cleveland.data");
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.HeartDisease, "processed.cleveland.data"));
        lines[2] = "67.0,1.0,4.0,one-twenty,229.0,0.0,2.0,129.0,1.0,2.6,2.0,2.0,7.0,1";
        File.WriteAllLines(file, lines);

        var (exitCode, stderr) = await RunAgentAsync(file);

        Assert.True(exitCode == 3, $"exit code {exitCode}: {stderr}");
        // path:line: as compilers write it, then the field and what is wrong with it.
        Assert.Contains($"{file}:3: field 4 (trestbps)", stderr);
    }

    [Fact]
    public async Task A_missing_data_file_stops_the_agent_with_a_message_naming_the_file()
    {
        var file = Path.Combine(RepositoryPaths.TempDirectory(), "nowhere.data");

        var (exitCode, stderr) = await RunAgentAsync(file);

        Assert.True(exitCode == 3, $"exit code {exitCode}: {stderr}");
        Assert.Contains(file, stderr);
    }

    [Fact]
    public async Task A_misspelt_configuration_key_stops_the_agent_naming_the_key()
    {
        var (exitCode, stderr) = await AppProcess.RunAsync(
            AppProcess.Dll("node-agent/FederatedCare.NodeAgent", "FederatedCare.NodeAgent"),
            "--config", Path.Combine(RepositoryPaths.Root, "examples", "heart-disease", "nodes", "halland.json"),
            "--NodeAgent:CoordinatorAddress=http://127.0.0.1:9",
            "--NodeAgent:Datasets:heart-disease:Delimeter=;");

        Assert.True(exitCode == 2, $"exit code {exitCode}: {stderr}");
        Assert.Contains("'Delimeter' is not a setting of DatasetOptions", stderr);
    }

    private static Task<(int ExitCode, string Stderr)> RunAgentAsync(string dataFile) => AppProcess.RunAsync(
        AppProcess.Dll("node-agent/FederatedCare.NodeAgent", "FederatedCare.NodeAgent"),
        "--NodeAgent:Region=Halland",
        // Nothing listens here: the agent must stop before it ever tries to connect.
        "--NodeAgent:CoordinatorAddress=http://127.0.0.1:9",
        $"--NodeAgent:Datasets:heart-disease:Path={dataFile}",
        $"--NodeAgent:Datasets:heart-disease:SplitFile={Path.Combine(RepositoryPaths.HeartDisease, "flamby_split.csv")}");
}
