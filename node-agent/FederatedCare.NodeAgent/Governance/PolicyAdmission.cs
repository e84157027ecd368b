using System.Text.Json;
using System.Text.Json.Nodes;
using FederatedCare.Node.Sdk;
using FederatedCare.NodeAgent.Options;
using FederatedCare.Privacy;
using FederatedCare.Protos.V1;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace FederatedCare.NodeAgent.Governance;

/// <summary>
/// The region's <see cref="IJobAdmission"/>: judges each job's spec (as received with its statistics task, hashed here)
/// against <see cref="PolicyOptions"/> (<see cref="PolicyRules"/>), in manual mode also against the data team's
/// decision on that exact hash (<see cref="ApprovalStore"/>), records what it admitted (<see cref="AdmittedJobs"/>) and
/// checks every later task against it: same dataset, model and schema as admitted, no more rounds than the spec's, and
/// in fit rounds enough participants (<see cref="PolicyOptions.MinRegionsPerAggregate"/>); a DP job's fit round is
/// entered in the ε ledger before training. Every job seen, approval, pending job and refusal goes to the region's
/// audit log. Without a policy every job is admitted (and audited as such).
/// </summary>
public sealed class PolicyAdmission(PolicyOptions? policy, AdmittedJobs admitted, ApprovalStore? approvals, PrivacyBudgetLedger ledger,
    IRegionAudit audit, TimeProvider time, ILogger<PolicyAdmission> logger) : IJobAdmission
{
    /// <summary>The audit log's actor for decisions the policy makes itself.</summary>
    public const string PolicyActor = "policy";

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public JobAdmission Admit(NodeTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var spec = task.Statistics?.Spec;
        if (spec is null) return Refuse(task.JobId, "JobSpec", "the coordinator sent no job spec with the statistics task, so the job cannot be judged");
        var facts = JobFacts.Of(spec);
        var submitter = task.Statistics!.SubmittedBy ?? "";
        if (_seen.Add(task.JobId))
            audit.Append(RegionAuditActions.JobSeen, task.JobId, submitter.Length > 0 ? submitter : null, Describe(spec, facts));
        if (!StateFiles.IsSafeName(task.JobId)) return Refuse(task.JobId, "JobId", "the job id is not a valid job id");
        if (Mismatch(task, spec) is { } mismatch) return Refuse(task.JobId, "JobSpec", mismatch);
        if (policy is null)
            return Admit(task.JobId, spec, facts, PolicyActor, "no policy configured: every job is admitted");
        if (PolicyRules.FirstViolation(policy, spec, facts, submitter) is { } violation)
            return Refuse(task.JobId, violation.Rule, violation.Reason);
        if (!string.Equals(policy.Approval, PolicyOptions.ManualApproval, StringComparison.OrdinalIgnoreCase))
            return Admit(task.JobId, spec, facts, PolicyActor, "the policy's checks passed (auto approval)");
        return Manual(task, spec, facts, submitter);
    }

    /// <inheritdoc />
    public string? Check(NodeTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (policy is null) return null;
        var spec = admitted.Find(task.JobId);
        if (spec is null) return Refused(task, "JobSpec", "this region has not admitted the job (it judges a job at its statistics task)");
        if (Mismatch(task, spec) is { } mismatch) return Refused(task, "JobSpec", mismatch);
        if (task.KindCase != NodeTask.KindOneofCase.Fit) return null;
        int rounds = spec.Mode == JobMode.Local ? 1 : spec.Rounds;
        if (task.Round > rounds) return Refused(task, "JobSpec", $"fit round {task.Round} is beyond the admitted spec's {rounds} rounds");
        if (task.Fit.Participants < policy.MinRegionsPerAggregate)
            return Refused(task, nameof(policy.MinRegionsPerAggregate),
                $"round {task.Round} aggregates {task.Fit.Participants} regions, fewer than the {policy.MinRegionsPerAggregate} this region requires; no update is sent");
        if (PrivacySettings.From(spec) is { } privacy)
        {
            double spent = ledger.RecordRound(spec.Dataset, task.JobId, task.Round, privacy);
            GovernanceLog.EpsilonSpent(logger, task.JobId, task.Round, spent, privacy.Delta);
            // What this round's update will cost the region's privacy, in its own audit log as well as in its ledger.
            audit.Append(RegionAuditActions.Released, task.JobId, PolicyActor, new System.Text.Json.Nodes.JsonObject
            {
                ["kind"] = "epsilon",
                ["dataset"] = spec.Dataset,
                ["round"] = task.Round,
                ["epsilon_spent"] = double.IsFinite(spent) ? spent : null,
                ["delta"] = privacy.Delta,
            });
        }
        return null;
    }

    private JobAdmission Manual(NodeTask task, JobSpec spec, JobFacts facts, string submitter)
    {
        if (approvals is null)
            return Refuse(task.JobId, nameof(PolicyOptions.Approval), "manual approval needs NodeAgent:StateDirectory for its records");
        var record = approvals.Find(facts.SpecSha256);
        if (record is null)
        {
            record = NewRecord(task.JobId, spec, facts, submitter);
            approvals.Save(record);
            audit.Append(RegionAuditActions.Pending, task.JobId, PolicyActor, Describe(spec, facts));
            GovernanceLog.Pending(logger, task.JobId, facts.SpecSha256);
        }
        return record.State switch
        {
            ApprovalRecord.Approved => Admit(task.JobId, spec, facts, record.DecidedBy, "approved by the region's data team"),
            ApprovalRecord.Refused => Refuse(task.JobId, nameof(PolicyOptions.Approval), $"refused by the region's data team: {record.Reason}", record.DecidedBy),
            _ => new JobAdmission(JobAdmissionOutcome.Pending, $"waiting for the region's data team to approve spec {facts.SpecSha256}"),
        };
    }

    private JobAdmission Admit(string jobId, JobSpec spec, JobFacts facts, string actor, string why)
    {
        // A pending job is asked again; audit the approval once per job.
        if (admitted.Find(jobId) is not { } known || !known.Equals(spec))
        {
            admitted.Add(jobId, spec);
            var detail = Describe(spec, facts);
            detail["why"] = why;
            audit.Append(RegionAuditActions.Approved, jobId, actor, detail);
            GovernanceLog.Admitted(logger, jobId, facts.SpecSha256, actor);
        }
        return JobAdmission.Admitted;
    }

    private JobAdmission Refuse(string jobId, string rule, string reason, string actor = PolicyActor)
    {
        admitted.Remove(jobId);
        var violation = new PolicyViolation(rule, reason);
        audit.Append(RegionAuditActions.Refused, jobId, actor, new JsonObject { ["rule"] = rule, ["reason"] = reason });
        GovernanceLog.Refused(logger, jobId, violation.ToString());
        return new JobAdmission(JobAdmissionOutcome.Refused, violation.ToString());
    }

    private string Refused(NodeTask task, string rule, string reason)
    {
        var violation = new PolicyViolation(rule, reason);
        audit.Append(RegionAuditActions.Refused, task.JobId, PolicyActor,
            new JsonObject { ["rule"] = rule, ["reason"] = reason, ["task"] = task.KindCase.ToString().ToLowerInvariant(), ["round"] = task.Round });
        GovernanceLog.Refused(logger, task.JobId, violation.ToString());
        return violation.ToString();
    }

    /// <summary>A task that does not carry its job's dataset, model and schema was not built from the admitted spec.</summary>
    private static string? Mismatch(NodeTask task, JobSpec spec)
    {
        if (task.Dataset != spec.Dataset) return $"the task's dataset '{task.Dataset}' is not the job spec's '{spec.Dataset}'";
        if (!Equals(task.Schema, spec.Schema)) return "the task's dataset schema is not the job spec's";
        if (spec.Analysis is null && !Equals(task.Model, spec.Model)) return "the task's model is not the job spec's";
        return null;
    }

    private ApprovalRecord NewRecord(string jobId, JobSpec spec, JobFacts facts, string submitter) => new()
    {
        SpecSha256 = facts.SpecSha256,
        JobId = jobId,
        Name = spec.Name,
        SubmittedBy = submitter,
        Kinds = [.. facts.Kinds],
        Dataset = spec.Dataset,
        Columns = [.. facts.Columns],
        Rounds = facts.Rounds,
        PlannedEpsilon = facts.PlannedEpsilon is { } e && double.IsFinite(e) ? e : null,
        Delta = facts.Privacy?.Delta,
        Spec = JsonDocument.Parse(JsonFormatter.Default.Format(spec)).RootElement.Clone(),
        RequestedAt = time.GetUtcNow().ToString("O"),
    };

    /// <summary>What the audit log records about a job: its spec hash, kinds, dataset, columns, rounds and planned ε.</summary>
    private static JsonObject Describe(JobSpec spec, JobFacts facts) => new()
    {
        ["spec_sha256"] = facts.SpecSha256,
        ["name"] = spec.Name,
        ["kinds"] = new JsonArray([.. facts.Kinds.Select(k => (JsonNode)k)]),
        ["dataset"] = spec.Dataset,
        ["columns"] = new JsonArray([.. facts.Columns.Select(c => (JsonNode)c)]),
        ["rounds"] = facts.Rounds,
        ["planned_epsilon"] = facts.PlannedEpsilon is { } e && double.IsFinite(e) ? e : null,
        ["delta"] = facts.Privacy?.Delta,
    };
}
