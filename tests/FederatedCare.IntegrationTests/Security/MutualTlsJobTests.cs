using FederatedCare.Coordinator.Storage;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Microsoft.Extensions.DependencyInjection;

namespace FederatedCare.IntegrationTests.Security;

/// <summary>A coordinator and the four real node agents over loopback gRPC with mutual TLS, each agent with its region's certificate.</summary>
public sealed class MutualTlsJobTests
{
    [Fact]
    public async Task A_fedavg_job_runs_over_mutual_tls_and_the_audit_names_certificate_identities()
    {
        await using var federation = await Federation.StartAsync(TestPki.Provision());
        var spec = JobSpecFile.Load(RepositoryPaths.Example("fedavg.json"));
        spec.Rounds = 2;

        var status = await federation.RunJobAsync(spec, TimeSpan.FromMinutes(2));

        Assert.Equal(JobState.Succeeded, status.State);
        var rounds = await federation.Research.ListRoundsAsync(new ListRoundsRequest { JobId = status.JobId });
        Assert.All(rounds.Rounds.Skip(1), r => Assert.Equal(
            Federation.Regions.Select(x => x.Region).Order(StringComparer.Ordinal), r.Participants.Order(StringComparer.Ordinal)));
        var audit = await federation.Coordinator.App.Services.GetRequiredService<ICoordinatorStore>().Audit.ListAsync(status.JobId);
        Assert.Contains(audit, a => a is { Actor: "operator:alice", Action: "job.started" });
        Assert.Equal(["node:Halland", "node:Karolinska", "node:Sahlgrenska", "node:Örebro"],
            audit.Where(a => a.Action == "update.accepted").Select(a => a.Actor).Distinct().Order(StringComparer.Ordinal));
    }
}
