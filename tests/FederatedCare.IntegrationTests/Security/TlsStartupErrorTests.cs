namespace FederatedCare.IntegrationTests.Security;

/// <summary>Unusable TLS settings stop the coordinator and the agent at start: exit code 2 and one line naming the problem.</summary>
public sealed class TlsStartupErrorTests
{
    [Fact]
    public async Task A_missing_server_certificate_stops_the_coordinator()
    {
        var pki = TestPki.Provision();
        var missing = Path.Combine(RepositoryPaths.TempDirectory(), "coordinator.pem");

        var (exitCode, stderr) = await AppProcess.RunAsync(AppProcess.Dll("coordinator/FederatedCare.Coordinator", "FederatedCare.Coordinator"),
            "--urls", "http://127.0.0.1:0", $"--Coordinator:DataDirectory={RepositoryPaths.TempDirectory()}",
            $"--Coordinator:Tls:CertificatePath={missing}", $"--Coordinator:Tls:KeyPath={pki.Files.ServerKey}",
            $"--Coordinator:Tls:ClientCaPath={pki.Files.CaCertificate}");

        Assert.True(exitCode == 2, $"exit code {exitCode}: {stderr}");
        Assert.Equal($"Cannot start the coordinator: Coordinator:Tls:CertificatePath: file '{missing}' does not exist.", stderr.Trim());
    }

    [Fact]
    public async Task A_revocation_list_the_federation_ca_did_not_sign_stops_the_coordinator()
    {
        var pki = TestPki.Provision();
        var other = TestPki.Provision();

        var (exitCode, stderr) = await AppProcess.RunAsync(AppProcess.Dll("coordinator/FederatedCare.Coordinator", "FederatedCare.Coordinator"),
            ["--urls", "http://127.0.0.1:0", $"--Coordinator:DataDirectory={RepositoryPaths.TempDirectory()}",
             .. pki.CoordinatorArgs(), $"--Coordinator:Tls:RevocationList={other.Files.RevocationList}"]);

        Assert.True(exitCode == 2, $"exit code {exitCode}: {stderr}");
        // Both CAs have the same subject: only the signature tells them apart.
        Assert.StartsWith($"Cannot start the coordinator: Coordinator:Tls:RevocationList '{other.Files.RevocationList}' does not carry a valid " +
            "signature of the federation CA", stderr.Trim(), StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task An_agent_with_another_regions_certificate_stops_before_connecting()
    {
        var pki = TestPki.Provision();

        var (exitCode, stderr) = await AppProcess.RunAsync(AppProcess.Dll("node-agent/FederatedCare.NodeAgent", "FederatedCare.NodeAgent"),
        [
            "--config", Path.Combine(RepositoryPaths.Root, "examples", "heart-disease", "nodes", "halland.json"),
            // Nothing listens here: the agent must stop before it ever tries to connect.
            "--NodeAgent:CoordinatorAddress=https://127.0.0.1:9",
            .. pki.NodeArgs("Örebro"),
        ]);

        Assert.True(exitCode == 2, $"exit code {exitCode}: {stderr}");
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("Cannot start", StringComparison.Ordinal));
        Assert.Contains($"'{pki.Files.ClientCertificate(TestPki.Node("Örebro"))}' is the certificate of node:Örebro, not of node:Halland", line);
    }
}
