using System.Security.Cryptography;
using FederatedCare.Cli.Provisioning;
using FederatedCare.Coordinator.Security;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.NodeAgent.Extensions;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FederatedCare.IntegrationTests.Security;

/// <summary>
/// Issue 14, item 7, with the coordinator and real node agents over loopback gRPC with mutual TLS: a region revoked
/// while a job runs is refused from its next call on and the job completes with the other three; a region issued from
/// the existing CA joins the running federation while every other certificate stays as it was. Conditions are polled
/// for; the revocation list is reloaded explicitly (the poll is set to an hour), never by waiting for a timer.
/// </summary>
public sealed class CertificateLifecycleFederationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private static readonly string[] OtherThree = ["Halland", "Sahlgrenska", "Örebro"];

    [Fact]
    public async Task Revoking_Karolinska_mid_job_refuses_its_next_call_and_the_job_completes_with_the_other_three()
    {
        var pki = TestPki.Provision();
        await using var federation = await Federation.StartAsync(Federation.DemoAgents(pki), pki, clock: null, "--Coordinator:Tls:ReloadSeconds=3600");
        await UntilAsync(federation, n => n.Nodes.Count(x => x.Connected) == 4);
        var spec = JobSpecFile.Load(RepositoryPaths.Example("fedavg.json"));
        // Enough rounds that several follow the revocation; min_fit_clients lets three regions go on.
        spec.Rounds = 20;
        spec.MinFitClients = 3;
        spec.CrossSiteValidation = false;
        spec.Local.LocalSteps = 20;

        var job = federation.RunJobAsync(spec, Patience);
        var jobId = await UntilAsync(async () => (await federation.Research.ListJobsAsync(new ListJobsRequest())).Jobs.FirstOrDefault()?.JobId);
        await UntilAsync(async () => await Rounds(federation, jobId) is var rounds && rounds.Any(r => r.Round >= 1) ? rounds : null);
        pki.Revoke("Karolinska");
        Assert.True(await federation.Coordinator.App.Services.GetRequiredService<TlsFileReloader>().ReloadIfChangedAsync());
        // Any round that was still open then may hold Karolinska's update; every round opened after may not.
        int revokedDuring = (await Rounds(federation, jobId)).Max(r => r.Round) + 1;
        var status = await job;

        Assert.Equal(JobState.Succeeded, status.State);
        var after = (await Rounds(federation, jobId)).Where(r => r.Round > revokedDuring).ToList();
        Assert.NotEmpty(after);
        Assert.All(after, r => Assert.Equal(OtherThree, r.Participants.Order(StringComparer.Ordinal)));
        Assert.DoesNotContain((await federation.Operator.ListNodesAsync(new ListNodesRequest())).Nodes, n => n.Region == "Karolinska");
        // The agent's next call (its heartbeat, or registering again after its task stream ended) met the interceptor.
        var store = federation.Coordinator.App.Services.GetRequiredService<ICoordinatorStore>();
        var refusal = await UntilAsync(async () => (await store.Audit.ListAsync()).FirstOrDefault(a =>
            a is { Actor: "node:Karolinska", Action: RevokedNodeEviction.AuditAction } && a.Detail.StartsWith("Federation/", StringComparison.Ordinal)));
        Assert.Contains("is revoked by the federation CA", refusal.Detail, StringComparison.Ordinal);
        Assert.Contains(await store.Audit.ListAsync(), a => a is { Actor: "node:Karolinska", Action: RevokedNodeEviction.AuditAction }
            && a.Detail.StartsWith("registration ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_region_added_from_the_existing_ca_joins_the_running_federation_and_nobody_else_gets_a_new_certificate()
    {
        var pki = TestPki.Provision();
        await using var federation = await Federation.StartAsync(pki);
        await UntilAsync(federation, n => n.Nodes.Count(x => x.Connected) == 4);
        var before = Hashes(pki.Files.Directory);

        ParticipantProvisioner.Add(new AdditionPlan(pki.Files.Directory, [TestPki.Node("Uppsala")], Days: 1, Force: false), TimeProvider.System);
        // A fifth agent: Halland's data under the new region's name and certificate.
        using var uppsala = NodeAgentHost.CreateBuilder(
        [
            "--config", Federation.DemoConfig("Halland"), "--NodeAgent:Region=Uppsala", .. pki.NodeArgs("Uppsala"),
            $"--NodeAgent:CoordinatorAddress={federation.Coordinator.Address}", "--Serilog:MinimumLevel:Default=Warning",
        ]).Build();
        await uppsala.StartAsync();

        try
        {
            var nodes = await UntilAsync(federation, n => n.Nodes.Count(x => x.Connected) == 5);
            var joined = Assert.Single(nodes.Nodes, n => n.Region == "Uppsala");
            Assert.Equal(new DateTimeOffset(pki.Certificate(TestPki.Node("Uppsala")).NotAfter.ToUniversalTime()).ToUnixTimeMilliseconds(),
                joined.CertificateNotAfterUnixMs);
            var after = Hashes(pki.Files.Directory);
            Assert.All(before.Where(f => f.Key != "provision.log"), f => Assert.Equal(f.Value, after[f.Key]));
            Assert.Equal(["node-uppsala-key.pem", "node-uppsala.pem"], after.Keys.Except(before.Keys).Order(StringComparer.Ordinal));
        }
        finally
        {
            await uppsala.StopAsync();
        }
    }

    private static async Task<IReadOnlyList<RoundSummary>> Rounds(Federation federation, string jobId) =>
        (await federation.Research.ListRoundsAsync(new ListRoundsRequest { JobId = jobId })).Rounds;

    private static Task<ListNodesResponse> UntilAsync(Federation federation, Func<ListNodesResponse, bool> done) => UntilAsync(async () =>
    {
        var nodes = await federation.Operator.ListNodesAsync(new ListNodesRequest());
        return done(nodes) ? nodes : null;
    });

    // Polls until the probe returns a value (a condition, never a deadline the test waits out).
    private static async Task<T> UntilAsync<T>(Func<Task<T?>> probe) where T : class
    {
        using var patience = new CancellationTokenSource(Patience);
        while (true)
        {
            if (await probe() is { } value) return value;
            await Task.Delay(20, patience.Token);
        }
    }

    private static Dictionary<string, string> Hashes(string directory) => Directory.GetFiles(directory)
        .ToDictionary(f => Path.GetFileName(f)!, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))), StringComparer.Ordinal);
}
