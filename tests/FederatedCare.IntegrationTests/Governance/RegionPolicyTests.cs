using FederatedCare.IntegrationTests.Cli;
using FederatedCare.IntegrationTests.Security;
using FederatedCare.NodeAgent.Governance;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FederatedCare.IntegrationTests.Governance;

/// <summary>
/// The region's policy (NodeAgent:Policy) enforced by real node agents over loopback gRPC: the demo's four agents,
/// one of them (Halland) with a stricter rule. A job the rule refuses is refused before any training, and the job's
/// status names the region and the rule.
/// </summary>
public sealed class RegionPolicyTests
{
    private const string Strict = "Halland";

    private static IReadOnlyList<string[]> Agents(TestPki? pki = null, params string[] hallandArgs) =>
        Federation.DemoAgents(pki, region => region == Strict ? hallandArgs : []);

    [Fact]
    public async Task A_region_with_a_maximum_epsilon_of_1_refuses_the_dp_example_before_any_training()
    {
        await using var federation = await Federation.StartAsync(Agents(null, "--NodeAgent:Policy:MaxEpsilon=1"));

        // As an operator runs it: fedcare submits the example DP job (planned ε 6.42 over 15 rounds) and follows it.
        var (exitCode, stdout, stderr) = await FedcareProcess.RunAsync("-c", federation.Coordinator.Address.ToString(),
            "submit", RepositoryPaths.Example("fedavg-dp.json"), "--job-id", "dp-example", "--watch");

        Assert.NotEqual(0, exitCode);
        var status = await federation.Operator.GetJobAsync(new GetJobRequest { JobId = "dp-example" });
        Assert.Equal(JobState.Failed, status.State);
        Assert.Contains("Halland: policy rule MaxEpsilon: planned ε = 6.42 at δ = 1e-5 over 15 rounds exceeds this region's 1.00", status.Message);
        Assert.Contains("MaxEpsilon", stdout + stderr);
        // Before any training: no round, no model, no update from anyone.
        Assert.Empty((await federation.Research.ListRoundsAsync(new ListRoundsRequest { JobId = "dp-example" })).Rounds);
        Assert.DoesNotContain(federation.Recorder.Received, r => r.Message is UpdateChunk);
    }

    [Fact]
    public async Task A_job_using_a_column_outside_a_regions_allowlist_is_refused_by_that_region()
    {
        // Halland's allowlist without 'slope' (its place taken by a column already listed).
        await using var federation = await Federation.StartAsync(Agents(null, "--NodeAgent:Policy:Datasets:heart-disease:Columns:10=age"));
        var spec = OneRound("fedavg.json");
        spec.Schema.IgnoredColumns.Remove("slope");
        spec.Schema.Features.Add(new FeatureColumn { Name = "slope", Type = ColumnType.Numeric });
        spec.Model.Hyperparameters["in_features"] = "14";

        var status = await federation.RunJobAsync(spec, TimeSpan.FromMinutes(2));

        Assert.Equal(JobState.Failed, status.State);
        Assert.Contains("Halland: policy rule Datasets:heart-disease:Columns: column 'slope' not in this region's allowlist", status.Message);
        Assert.DoesNotContain(federation.Recorder.Received, r => r.Message is UpdateChunk);
    }

    [Fact]
    public async Task A_region_that_may_not_leave_its_local_model_at_the_coordinator_refuses_a_cross_site_job()
    {
        await using var federation = await Federation.StartAsync(Agents(null, "--NodeAgent:Policy:AllowLocalModelAtCoordinator=false"));
        var spec = OneRound("fedavg.json");
        Assert.True(spec.CrossSiteValidation);

        var status = await federation.RunJobAsync(spec, TimeSpan.FromMinutes(2));

        Assert.Equal(JobState.Failed, status.State);
        Assert.Contains("Halland: policy rule AllowLocalModelAtCoordinator: cross-site validation keeps this region's local model at the coordinator", status.Message);
    }

    [Fact]
    public async Task An_operator_the_regions_policy_does_not_allow_is_refused_by_that_region_over_mutual_tls()
    {
        var pki = TestPki.Provision();
        // Halland admits only bob; the federation's operator client is alice.
        await using var federation = await Federation.StartAsync(Agents(pki, "--NodeAgent:Policy:AllowedOperators:0=bob"), pki);

        var status = await federation.RunJobAsync(OneRound("fedavg.json"), TimeSpan.FromMinutes(2));

        Assert.Equal(JobState.Failed, status.State);
        Assert.Equal("alice", status.SubmittedBy);
        Assert.Contains("Halland: policy rule AllowedOperators: operator 'alice' may not run jobs on this region", status.Message);
        // The other regions admitted alice's job.
        Assert.Contains("only 3 of 4 regions joined", status.Message);
    }

    [Fact]
    public async Task With_min_fit_clients_3_a_region_requiring_4_regions_per_aggregate_sends_no_update()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var federation = await Federation.StartAsync(Agents(null, "--NodeAgent:Policy:MinRegionsPerAggregate=4"), clock: clock,
            coordinatorArgs: "--Coordinator:NodeTimeoutSeconds=100000");
        var spec = OneRound("fedavg.json");
        spec.CrossSiteValidation = false;
        spec.MinFitClients = 3;
        spec.MinAvailableClients = 3;
        spec.Regions.Add(new[] { "Halland", "Karolinska", "Sahlgrenska" });
        spec.RoundDeadlineSeconds = 600;
        spec.MaxRoundRetries = 0;
        var halland = (RegionAuditLog)federation.Agents[0].Services.GetRequiredService<IRegionAudit>();

        var job = await federation.Operator.StartJobAsync(new StartJobRequest { Spec = spec, JobId = "three-regions" });
        // Round 1 has 3 participants: Karolinska and Sahlgrenska upload, Halland refuses the task (its audit log says
        // why) and tells the coordinator at once, so the round closes with every answer in — the fake clock never moves.
        var status = await Ended(federation, job.JobId);

        Assert.Equal(JobState.Failed, status.State);
        Assert.Contains("round 1: only 2 of 3 selected clients sent an update", status.Message);
        // Halland's refusal reached the coordinator at once (ReportRefusal), with its reason.
        Assert.Contains("refused by Halland: ", status.Message);
        Assert.Contains("fewer than the 4 this region requires", status.Message);
        Assert.Contains(halland.Lines, l => l.Contains("\"action\":\"refused\"", StringComparison.Ordinal)
            && l.Contains("aggregates 3 regions, fewer than the 4 this region requires", StringComparison.Ordinal));
    }

    /// <summary>An example spec cut to one round, so a job that is not refused ends quickly.</summary>
    internal static JobSpec OneRound(string example)
    {
        var spec = JobSpecFile.Load(RepositoryPaths.Example(example));
        spec.Rounds = 1;
        spec.Local.LocalSteps = 5;
        return spec;
    }

    /// <summary>Follows job <paramref name="jobId"/> to its end; returns the final status.</summary>
    internal static async Task<JobStatus> Ended(Federation federation, string jobId)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var watch = federation.Operator.WatchJob(new GetJobRequest { JobId = jobId }, cancellationToken: cts.Token);
        while (await watch.ResponseStream.MoveNext(cts.Token)) { }
        return await federation.Operator.GetJobAsync(new GetJobRequest { JobId = jobId }, cancellationToken: cts.Token);
    }
}
