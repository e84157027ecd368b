using System.Text.Json.Nodes;
using FederatedCare.Protos.V1;

namespace FederatedCare.IntegrationTests.Security;

/// <summary>
/// An agent process configured as the README's "Bring your own data" shows: <c>--config node.json</c> and nothing else,
/// where only that file sets the coordinator address and the TLS files, which appsettings.json also sets (to plaintext
/// loopback defaults). The file must win.
/// </summary>
public sealed class NodeConfigFileTlsTests(TlsCoordinatorFixture fixture) : IClassFixture<TlsCoordinatorFixture>
{
    private static readonly string AgentDll = AppProcess.Dll("node-agent/FederatedCare.NodeAgent", "FederatedCare.NodeAgent");

    [Fact]
    public async Task An_agent_whose_address_and_tls_are_only_in_its_config_file_registers_over_mutual_tls()
    {
        var config = WriteNodeConfig(fixture.Coordinator.Address.ToString(), tls: true);
        using var agent = AppProcess.Start(AgentDll, "--config", config);
        using var channel = fixture.Pki.Channel(fixture.Coordinator.Address, TestPki.Alice);
        var operatorClient = new Operator.OperatorClient(channel);

        // Poll for the registration (the agent's start-up, TorchSharp included, takes a few seconds).
        var deadline = DateTime.UtcNow.AddMinutes(1);
        NodeInfo? halland = null;
        while (halland is null && DateTime.UtcNow < deadline && !agent.HasExited)
        {
            halland = (await operatorClient.ListNodesAsync(new ListNodesRequest())).Nodes.FirstOrDefault(n => n is { Region: "Halland", Connected: true });
            if (halland is null) await Task.Delay(100);
        }

        Assert.True(halland is not null, $"Halland never registered; agent stderr:\n{agent.Stderr}\nstdout:\n{string.Join('\n', agent.Stdout)}");
    }

    [Fact]
    public async Task An_https_address_without_tls_settings_stops_the_agent_with_one_line()
    {
        // Nothing listens here: the agent must stop before it ever tries to connect.
        var config = WriteNodeConfig("https://127.0.0.1:9", tls: false);

        var (exitCode, stderr) = await AppProcess.RunAsync(AgentDll, "--config", config);

        Assert.True(exitCode == 2, $"exit code {exitCode}: {stderr}");
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("Cannot start", StringComparison.Ordinal));
        Assert.Contains("NodeAgent:CoordinatorAddress 'https://127.0.0.1:9' is https:// but NodeAgent:Tls is not set", line, StringComparison.Ordinal);
    }

    /// <summary>
    /// Halland's demo node configuration with absolute data paths, <paramref name="address"/> and (with
    /// <paramref name="tls"/>) Halland's certificate files, written beside them and named relative to the file's folder.
    /// </summary>
    private string WriteNodeConfig(string address, bool tls)
    {
        var root = JsonNode.Parse(File.ReadAllText(Federation.DemoConfig("Halland")))!;
        var node = root["NodeAgent"]!;
        var dataset = node["Datasets"]!["heart-disease"]!;
        dataset["Path"] = Path.Combine(RepositoryPaths.HeartDisease, "processed.cleveland.data");
        dataset["SplitFile"] = Path.Combine(RepositoryPaths.HeartDisease, "flamby_split.csv");
        node["CoordinatorAddress"] = address;
        var folder = Path.GetDirectoryName(fixture.Pki.Files.CaCertificate)!;
        node["StateDirectory"] = RepositoryPaths.TempDirectory();
        if (tls)
            node["Tls"] = new JsonObject
            {
                ["CertificatePath"] = Path.GetRelativePath(folder, fixture.Pki.Files.ClientCertificate(TestPki.Node("Halland"))),
                ["KeyPath"] = Path.GetRelativePath(folder, fixture.Pki.Files.ClientKey(TestPki.Node("Halland"))),
                ["CaPath"] = Path.GetFileName(fixture.Pki.Files.CaCertificate),
            };
        var path = Path.Combine(folder, $"node-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }
}
