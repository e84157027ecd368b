using System.Text.Json.Nodes;
using FederatedCare.NodeAgent.Governance;
using FederatedCare.Protos.V1;

namespace FederatedCare.IntegrationTests.Governance;

/// <summary>
/// Manual approval with real node agents and the node-side command as the data team runs it (a separate process): a
/// job waits for Halland, the coordinator's status names Halland, the approval of its spec hash lets it run, and the
/// same job with one parameter changed waits again.
/// </summary>
public sealed class ManualApprovalTests
{
    private static readonly string AgentDll = AppProcess.Dll("node-agent/FederatedCare.NodeAgent", "FederatedCare.NodeAgent");

    [Fact]
    public async Task A_job_waits_for_approval_by_hash_then_runs_and_a_changed_spec_waits_again()
    {
        var config = ManualConfig(out var state);
        var agents = Federation.DemoAgents();
        var args = agents.ToList();
        args[0] = ["--config", config];
        // The coordinator asks a waiting region again every 0.2 s (a short setting, not a wait for a deadline).
        await using var federation = await Federation.StartAsync(args, coordinatorArgs: "--Coordinator:ApprovalPollSeconds=0.2");
        var spec = RegionPolicyTests.OneRound("fedavg.json");
        spec.CrossSiteValidation = false;

        var job = await federation.Operator.StartJobAsync(new StartJobRequest { Spec = spec, JobId = "needs-approval" });
        var waiting = await MessageAsync(federation, job.JobId, m => m.Contains("waiting for approval by Halland", StringComparison.Ordinal));
        Assert.Contains("waiting for approval by Halland (", waiting);
        var (code, listed) = await Approvals("list", "--config", config);
        Assert.Equal(0, code);
        var sha = Assert.Single(listed).Split(' ')[0];
        Assert.Equal(JobFacts.Of(spec).SpecSha256, sha);
        Assert.Contains("job needs-approval", listed[0]);

        (code, _) = await Approvals("approve", sha, "--by", "dana", "--config", config);
        Assert.Equal(0, code);
        var status = await RegionPolicyTests.Ended(federation, job.JobId);

        Assert.Equal(JobState.Succeeded, status.State);
        Assert.Equal(4, (await federation.Research.ListRoundsAsync(new ListRoundsRequest { JobId = job.JobId })).Rounds[1].Participants.Count);
        var audit = File.ReadAllLines(Path.Combine(state, RegionAuditLog.FileName));
        Assert.True(RegionAuditLog.Verify(audit).Valid);
        Assert.Contains(audit, l => l.Contains("\"action\":\"pending\"", StringComparison.Ordinal));
        Assert.Contains(audit, l => l.Contains("\"action\":\"approved\"", StringComparison.Ordinal) && l.Contains("\"actor\":\"dana\"", StringComparison.Ordinal));

        // One parameter changed: a new spec hash, which no one has approved.
        spec.Seed++;
        var changed = await federation.Operator.StartJobAsync(new StartJobRequest { Spec = spec, JobId = "changed-seed" });
        await MessageAsync(federation, changed.JobId, m => m.Contains("waiting for approval by Halland", StringComparison.Ordinal));
        (_, listed) = await Approvals("list", "--config", config);
        Assert.Equal(JobFacts.Of(spec).SpecSha256, Assert.Single(listed).Split(' ')[0]);
        Assert.NotEqual(sha, JobFacts.Of(spec).SpecSha256);

        (code, _) = await Approvals("refuse", JobFacts.Of(spec).SpecSha256, "--by", "dana", "--reason", "not this seed", "--config", config);
        Assert.Equal(0, code);
        status = await RegionPolicyTests.Ended(federation, changed.JobId);
        Assert.Contains("Halland: policy rule Approval: refused by the region's data team: not this seed", status.Message);
    }

    /// <summary>Halland's demo configuration with manual approval and a state folder, written with absolute paths.</summary>
    private static string ManualConfig(out string state)
    {
        var demo = Federation.DemoConfig("Halland");
        var root = JsonNode.Parse(File.ReadAllText(demo))!;
        var agent = root["NodeAgent"]!;
        var dataset = agent["Datasets"]!["heart-disease"]!;
        foreach (var key in new[] { "Path", "SplitFile" })
            dataset[key] = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(demo)!, dataset[key]!.GetValue<string>()));
        var dir = RepositoryPaths.TempDirectory();
        state = Path.Combine(dir, "state");
        agent["StateDirectory"] = state;
        agent["Policy"]!["Approval"] = "manual";
        var path = Path.Combine(dir, "halland.json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    private static async Task<(int ExitCode, IReadOnlyList<string> Stdout)> Approvals(params string[] args)
    {
        using var process = AppProcess.Start(AgentDll, [ApprovalsCommand.Name, .. args]);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromMinutes(1));
        Assert.True(exitCode == 0, process.Stderr);
        return (exitCode, process.Stdout);
    }

    /// <summary>Follows the job until its status message satisfies <paramref name="match"/>; returns that message.</summary>
    private static async Task<string> MessageAsync(Federation federation, string jobId, Func<string, bool> match)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var watch = federation.Operator.WatchJob(new GetJobRequest { JobId = jobId }, cancellationToken: cts.Token);
        while (await watch.ResponseStream.MoveNext(cts.Token))
            if (match(watch.ResponseStream.Current.Status.Message)) return watch.ResponseStream.Current.Status.Message;
        throw new InvalidOperationException($"job {jobId} ended without a matching message");
    }
}
