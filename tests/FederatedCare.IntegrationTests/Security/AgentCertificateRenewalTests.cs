using System.Security.Cryptography.X509Certificates;
using FederatedCare.Cli.Provisioning;
using FederatedCare.Coordinator.Security;
using FederatedCare.NodeAgent.Agent;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Microsoft.Extensions.DependencyInjection;

namespace FederatedCare.IntegrationTests.Security;

/// <summary>
/// A node agent's certificate renewed in place, with the coordinator and a real agent (Halland) over loopback gRPC
/// with mutual TLS: a certificate copied before its key is not used and the agent carries on with its old pair; once
/// the key follows, the agent registers again with the renewed certificate without a restart, so the coordinator
/// lists its new end of validity, the old certificate can be revoked without dropping the region, and the agent
/// takes part in a job. Both reloads are triggered explicitly (their polls are set to an hour); conditions are polled for.
/// </summary>
public sealed class AgentCertificateRenewalTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private static readonly FederatedCare.Protos.Security.FederationIdentity Halland = TestPki.Node("Halland");

    [Fact]
    public async Task A_renewed_agent_certificate_is_used_without_a_restart_and_the_old_one_can_then_be_revoked()
    {
        var pki = TestPki.Provision(); // valid for two days
        var agents = Federation.DemoAgents(pki, _ => ["--NodeAgent:Tls:ReloadSeconds=3600"]).Take(1).ToList();
        await using var federation = await Federation.StartAsync(agents, pki, clock: null, "--Coordinator:Tls:ReloadSeconds=3600");
        var reloader = federation.Agents[0].Services.GetRequiredService<AgentTlsReloader>();
        var original = pki.Certificate(Halland);
        var before = await UntilAsync(federation, n => n.Region == "Halland" && n.Connected);
        Assert.Equal(UnixMs(original), before.CertificateNotAfterUnixMs);

        using var ca = FederationCa.Load(pki.Files.CaCertificate, pki.Files.CaKey);
        var now = DateTimeOffset.UtcNow;
        using var renewed = ca.IssueClient(Halland, now.AddHours(-1), now.AddDays(1));
        Assert.NotEqual(original.SerialNumber, renewed.SerialNumber);

        // The certificate arrives before its key: the pair does not match, so the agent keeps the one it has.
        File.WriteAllText(pki.Files.ClientCertificate(Halland), renewed.ExportCertificatePem() + "\n");
        Assert.False(reloader.ReloadIfChanged());
        var unchanged = Assert.Single((await federation.Operator.ListNodesAsync(new ListNodesRequest())).Nodes);
        Assert.Equal((before.NodeId, true, UnixMs(original)), (unchanged.NodeId, unchanged.Connected, unchanged.CertificateNotAfterUnixMs));

        PkiFiles.Write(renewed, pki.Files.ClientCertificate(Halland), pki.Files.ClientKey(Halland));
        Assert.True(reloader.ReloadIfChanged());
        var after = await UntilAsync(federation, n => n.Region == "Halland" && n.Connected && n.CertificateNotAfterUnixMs == UnixMs(renewed));
        Assert.NotEqual(before.NodeId, after.NodeId);

        // The old certificate revoked: the region, registered with the renewed one now, stays.
        pki.Revoke(original.SerialNumber);
        Assert.True(await federation.Coordinator.App.Services.GetRequiredService<TlsFileReloader>().ReloadIfChangedAsync());
        var kept = Assert.Single((await federation.Operator.ListNodesAsync(new ListNodesRequest())).Nodes);
        Assert.Equal((after.NodeId, true), (kept.NodeId, kept.Connected));

        var spec = JobSpecFile.Load(RepositoryPaths.Example("fedavg.json"));
        (spec.Rounds, spec.MinFitClients, spec.MinAvailableClients, spec.CrossSiteValidation, spec.Local.LocalSteps) = (1, 1, 1, false, 5);
        var status = await federation.RunJobAsync(spec, Patience);
        Assert.Equal(JobState.Succeeded, status.State);
        var round = Assert.Single((await federation.Research.ListRoundsAsync(new ListRoundsRequest { JobId = status.JobId })).Rounds, r => r.Round == 1);
        Assert.Equal(["Halland"], round.Participants);
    }

    private static long UnixMs(X509Certificate2 certificate) => new DateTimeOffset(certificate.NotAfter.ToUniversalTime()).ToUnixTimeMilliseconds();

    // Polls the node list until a node matches (a condition, never a deadline the test waits out).
    private static async Task<NodeInfo> UntilAsync(Federation federation, Func<NodeInfo, bool> match)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (true)
        {
            var nodes = await federation.Operator.ListNodesAsync(new ListNodesRequest(), cancellationToken: patience.Token);
            if (nodes.Nodes.FirstOrDefault(match) is { } node) return node;
            await Task.Delay(20, patience.Token);
        }
    }
}
