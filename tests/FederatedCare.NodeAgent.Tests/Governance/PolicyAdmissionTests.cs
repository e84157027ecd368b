using System.Text.Json.Nodes;
using FederatedCare.Node.Sdk;
using FederatedCare.NodeAgent.Governance;
using FederatedCare.NodeAgent.Options;
using FederatedCare.Privacy;
using FederatedCare.Protos.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static FederatedCare.NodeAgent.Tests.Governance.GovernanceSpecs;

namespace FederatedCare.NodeAgent.Tests.Governance;

/// <summary>The region's gate: admission at the statistics task, later tasks checked, manual approval by hash, the ε ledger, the audit.</summary>
public sealed class PolicyAdmissionTests : IDisposable
{
    private readonly TempDir _state = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero));
    private readonly RegionAuditLog _audit;

    public PolicyAdmissionTests() => _audit = new RegionAuditLog(Path.Combine(_state.Path, RegionAuditLog.FileName), _time);

    public void Dispose() => _state.Dispose();

    /// <summary>An admission on the test's state folder, as the agent builds it (a new one is an agent restart).</summary>
    private PolicyAdmission Admission(PolicyOptions? policy) => new(policy, new AdmittedJobs(Path.Combine(_state.Path, "policy", "admitted")),
        new ApprovalStore(Path.Combine(_state.Path, ApprovalStore.FolderName)), new PrivacyBudgetLedger(Path.Combine(_state.Path, PrivacyBudgetLedger.FileName)),
        _audit, _time, NullLogger<PolicyAdmission>.Instance);

    private IReadOnlyList<JsonObject> AuditEntries() =>
        File.ReadAllLines(Path.Combine(_state.Path, RegionAuditLog.FileName)).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    [Fact]
    public void An_admitted_job_runs_its_later_tasks_and_every_step_is_audited()
    {
        var spec = Example("fedavg.json");
        var admission = Admission(Open());

        Assert.Equal(JobAdmission.Admitted, admission.Admit(StatisticsTask("j1", spec, "alice")));
        Assert.Null(admission.Check(FitTask("j1", spec, round: 1, participants: 4)));

        var entries = AuditEntries();
        Assert.Equal([RegionAuditActions.JobSeen, RegionAuditActions.Approved], entries.Select(e => e["action"]!.GetValue<string>()));
        Assert.Equal("alice", entries[0]["actor"]!.GetValue<string>());
        Assert.Equal(PolicyAdmission.PolicyActor, entries[1]["actor"]!.GetValue<string>());
        Assert.Equal(JobFacts.Of(spec).SpecSha256, entries[0]["detail"]!["spec_sha256"]!.GetValue<string>());
        Assert.True(RegionAuditLog.Verify(Path.Combine(_state.Path, RegionAuditLog.FileName)).Valid);
    }

    [Fact]
    public void A_refused_job_and_a_job_never_judged_get_no_later_task_here()
    {
        var policy = Open();
        policy.MaxEpsilon = 1;
        var dp = Example("fedavg-dp.json");
        var admission = Admission(policy);

        var decision = admission.Admit(StatisticsTask("dp", dp));

        Assert.Equal(JobAdmissionOutcome.Refused, decision.Outcome);
        Assert.StartsWith("policy rule MaxEpsilon: planned ε = 6.42", decision.Reason);
        Assert.Contains("has not admitted the job", admission.Check(FitTask("dp", dp, 1, 4)));
        Assert.Contains("has not admitted the job", admission.Check(FitTask("never-seen", dp, 1, 4)));
        var refused = AuditEntries().Where(e => e["action"]!.GetValue<string>() == RegionAuditActions.Refused).ToList();
        Assert.Equal("MaxEpsilon", refused[0]["detail"]!["rule"]!.GetValue<string>());
    }

    [Fact]
    public void A_fit_round_with_fewer_participants_than_the_policys_minimum_is_refused()
    {
        var policy = Open();
        policy.MinRegionsPerAggregate = 4;
        var spec = Example("fedavg.json");
        var admission = Admission(policy);
        admission.Admit(StatisticsTask("j", spec));

        Assert.StartsWith("policy rule MinRegionsPerAggregate: round 2 aggregates 3 regions, fewer than the 4", admission.Check(FitTask("j", spec, 2, 3)));
        Assert.Null(admission.Check(FitTask("j", spec, 2, 4)));
    }

    [Fact]
    public void A_task_that_does_not_match_the_admitted_spec_is_refused()
    {
        var spec = Example("fedavg.json");
        var admission = Admission(Open());
        admission.Admit(StatisticsTask("j", spec));

        var otherModel = FitTask("j", spec, 1, 4);
        otherModel.Model = new ModelSpec { Name = "mlp" };
        Assert.Contains("model is not the job spec's", admission.Check(otherModel));
        var tooLate = FitTask("j", spec, spec.Rounds + 1, 4);
        Assert.Contains("beyond the admitted spec's 15 rounds", admission.Check(tooLate));
        var task = StatisticsTask("k", spec);
        task.Dataset = "other";
        Assert.Equal(JobAdmissionOutcome.Refused, admission.Admit(task).Outcome);
    }

    [Fact]
    public void Manual_approval_covers_exactly_one_spec_hash_and_survives_a_restart()
    {
        var policy = Open();
        policy.Approval = PolicyOptions.ManualApproval;
        var spec = Example("fedavg.json");
        var sha = JobFacts.Of(spec).SpecSha256;
        var store = new ApprovalStore(Path.Combine(_state.Path, ApprovalStore.FolderName));

        var first = Admission(policy).Admit(StatisticsTask("j", spec, "alice"));
        Assert.Equal(JobAdmissionOutcome.Pending, first.Outcome);
        Assert.Contains(sha, first.Reason);
        var record = store.Find(sha)!;
        Assert.Equal((ApprovalRecord.Pending, "j", "alice", 15), (record.State, record.JobId, record.SubmittedBy, record.Rounds));
        Assert.Equal(HeartColumns.Except(["slope", "ca", "thal"]).Order(StringComparer.Ordinal), record.Columns);
        Assert.Equal(spec.Name, record.Spec.GetProperty("name").GetString());

        // The data team approves the hash (as the approvals command does); a restarted agent reads the decision.
        record.State = ApprovalRecord.Approved;
        record.DecidedBy = "dana";
        store.Save(record);
        var restarted = Admission(policy);
        Assert.Equal(JobAdmission.Admitted, restarted.Admit(StatisticsTask("j", spec, "alice")));
        Assert.Null(Admission(policy).Check(FitTask("j", spec, 1, 4)));
        Assert.Contains(AuditEntries(), e => e["action"]!.GetValue<string>() == RegionAuditActions.Approved && e["actor"]!.GetValue<string>() == "dana");

        // One parameter changed: another hash, pending again; the same spec under another job id is covered.
        var changed = spec.Clone();
        changed.Seed++;
        Assert.Equal(JobAdmissionOutcome.Pending, restarted.Admit(StatisticsTask("j2", changed)).Outcome);
        Assert.Equal(JobAdmission.Admitted, restarted.Admit(StatisticsTask("j3", spec)));
        Assert.Equal(2, store.All().Count);
    }

    [Fact]
    public void A_refusal_by_the_data_team_refuses_the_job_naming_who_and_why()
    {
        var policy = Open();
        policy.Approval = PolicyOptions.ManualApproval;
        var spec = Example("fedavg.json");
        var store = new ApprovalStore(Path.Combine(_state.Path, ApprovalStore.FolderName));
        var admission = Admission(policy);
        admission.Admit(StatisticsTask("j", spec));
        var record = store.Find(JobFacts.Of(spec).SpecSha256)!;
        (record.State, record.DecidedBy, record.Reason) = (ApprovalRecord.Refused, "dana", "no consent for this cohort");
        store.Save(record);

        var decision = admission.Admit(StatisticsTask("j", spec));

        Assert.Equal("policy rule Approval: refused by the region's data team: no consent for this cohort", decision.Reason);
        Assert.Contains(AuditEntries(), e => e["action"]!.GetValue<string>() == RegionAuditActions.Refused && e["actor"]!.GetValue<string>() == "dana");
    }

    [Fact]
    public void The_epsilon_ledger_counts_each_round_once_and_sums_jobs_per_dataset()
    {
        var spec = Example("fedavg-dp.json");
        var admission = Admission(Open());
        admission.Admit(StatisticsTask("a", spec));
        admission.Admit(StatisticsTask("b", spec));
        foreach (var (job, round) in new[] { ("a", 1), ("a", 2), ("a", 2), ("b", 1) })
            Assert.Null(admission.Check(FitTask(job, spec, round, 4)));

        var ledger = JsonNode.Parse(File.ReadAllText(Path.Combine(_state.Path, PrivacyBudgetLedger.FileName)))!["datasets"]!["heart-disease"]!;
        var privacy = PrivacySettings.From(spec)!;
        double a = JobFacts.EpsilonAfter(privacy, 2), b = JobFacts.EpsilonAfter(privacy, 1);
        Assert.Equal([1, 2], ledger["jobs"]!["a"]!["rounds"]!.AsArray().Select(r => r!.GetValue<int>()));
        Assert.Equal(a, ledger["jobs"]!["a"]!["epsilon"]!.GetValue<double>(), 12);
        Assert.Equal(a + b, ledger["epsilon"]!.GetValue<double>(), 12);
        Assert.Equal(2e-5, ledger["delta"]!.GetValue<double>(), 15);
    }

    [Fact]
    public void Without_a_policy_every_job_is_admitted_and_audited()
    {
        var admission = Admission(null);
        Assert.Equal(JobAdmission.Admitted, admission.Admit(StatisticsTask("j", Example("fedavg-dp.json"))));
        Assert.Null(admission.Check(FitTask("unknown", Example("fedavg.json"), 1, 1)));
        Assert.Equal(2, AuditEntries().Count);
    }
}
