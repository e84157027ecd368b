using FederatedCare.NodeAgent.Governance;
using FederatedCare.NodeAgent.Options;
using FederatedCare.Protos.V1;
using static FederatedCare.NodeAgent.Tests.Governance.GovernanceSpecs;

namespace FederatedCare.NodeAgent.Tests.Governance;

/// <summary>Each rule of the region's policy on the shipped example specs: the rule named, never a data value.</summary>
public sealed class PolicyRulesTests
{
    private static PolicyViolation? Judge(PolicyOptions policy, JobSpec spec, string submitter = "") =>
        PolicyRules.FirstViolation(policy, spec, JobFacts.Of(spec), submitter);

    [Fact]
    public void The_planned_epsilon_of_the_dp_example_is_the_coordinators_6_42()
    {
        var facts = JobFacts.Of(Example("fedavg-dp.json"));
        Assert.Equal(15, facts.Rounds);
        Assert.Equal(6.42, facts.PlannedEpsilon!.Value, 2);
        Assert.Equal(1e-5, facts.Privacy!.Delta);
    }

    [Fact]
    public void An_open_policy_allows_every_heart_disease_example()
    {
        foreach (var name in new[] { "fedavg.json", "fedavg-dp.json", "fedprox.json", "scaffold.json", "local.json", "fedadam.json" })
            Assert.Null(Judge(Open(), Example(name)));
    }

    [Fact]
    public void A_maximum_epsilon_refuses_a_job_planning_more_and_a_job_without_noise()
    {
        var policy = Open();
        policy.MaxEpsilon = 1;
        Assert.Equal(nameof(PolicyOptions.MaxEpsilon), Judge(policy, Example("fedavg-dp.json"))!.Rule);
        Assert.Contains("planned ε = 6.42 at δ = 1e-5 over 15 rounds", Judge(policy, Example("fedavg-dp.json"))!.Reason);
        Assert.Contains("no differential privacy", Judge(policy, Example("fedavg.json"))!.Reason);
        policy.MaxEpsilon = 7;
        Assert.Null(Judge(policy, Example("fedavg-dp.json")));
    }

    [Fact]
    public void Each_rule_refuses_by_its_own_key()
    {
        (Action<PolicyOptions> Set, string Example, string Rule)[] cases =
        [
            (p => p.Datasets.Clear(), "fedavg.json", "Datasets"),
            (p => p.Datasets["heart-disease"].Columns.Remove("thalach"), "fedavg.json", "Datasets:heart-disease:Columns"),
            (p => p.JobKinds.Add(PolicyOptions.StatisticsKind), "fedavg.json", "JobKinds"),
            (p => p.Strategies.Add("fedprox"), "fedavg.json", "Strategies"),
            (p => p.Models.Add("mlp"), "fedavg.json", "Models"),
            (p => p.MaxRounds = 10, "fedavg.json", "MaxRounds"),
            (p => p.RequireDifferentialPrivacy = true, "fedavg.json", "RequireDifferentialPrivacy"),
            (p => p.RequireSecureAggregation = true, "fedavg-dp.json", "RequireSecureAggregation"),
            (p => p.AllowLocalModelAtCoordinator = false, "fedavg.json", "AllowLocalModelAtCoordinator"),
            (p => p.AllowLocalModelAtCoordinator = false, "local.json", "AllowLocalModelAtCoordinator"),
            (p => p.AllowedOperators.Add("bob"), "fedavg.json", "AllowedOperators"),
        ];
        foreach (var (set, example, rule) in cases)
        {
            var policy = Open();
            set(policy);
            var violation = Judge(policy, Example(example), submitter: "alice");
            Assert.True(violation?.Rule == rule, $"{rule} on {example}: {violation}");
            Assert.StartsWith($"policy rule {rule}: ", violation!.ToString());
        }
    }

    [Fact]
    public void Secure_aggregation_is_refused_as_not_available_yet()
    {
        var policy = Open();
        policy.RequireSecureAggregation = true;
        Assert.Equal("this region requires secure aggregation, which is not available yet", Judge(policy, Example("fedavg.json"))!.Reason);
    }

    [Fact]
    public void Allowed_operators_need_the_submitters_certificate_name()
    {
        var policy = Open();
        policy.AllowedOperators.Add("alice");
        Assert.Null(Judge(policy, Example("fedavg.json"), "alice"));
        Assert.Contains("operator 'bob' may not run jobs", Judge(policy, Example("fedavg.json"), "bob")!.Reason);
        Assert.Contains("no mutual TLS", Judge(policy, Example("fedavg.json"), "")!.Reason);
    }

    [Fact]
    public void An_analysis_job_uses_its_schema_and_analysis_columns_and_is_of_its_analyses_kinds()
    {
        var facts = JobFacts.Of(Cox);
        Assert.Equal([PolicyOptions.StatisticsKind, PolicyOptions.SurvivalKind], facts.Kinds);
        Assert.Contains(Cox.Schema.Label.Name, facts.Columns);
        Assert.Contains(Cox.Schema.Label.EventColumn, facts.Columns);
        Assert.Equal(0, facts.Rounds);
        var policy = new PolicyOptions
        {
            Datasets = new(StringComparer.Ordinal) { [Cox.Dataset] = new PolicyDatasetOptions { Columns = [.. facts.Columns] } },
            JobKinds = [PolicyOptions.TrainingKind],
        };
        Assert.Equal(nameof(PolicyOptions.JobKinds), Judge(policy, Cox)!.Rule);
        policy.JobKinds.Add(PolicyOptions.SurvivalKind);
        Assert.Contains("statistics jobs are not allowed", Judge(policy, Cox)!.Reason);
        policy.JobKinds.Add(PolicyOptions.StatisticsKind);
        Assert.Null(Judge(policy, Cox));
    }

    [Fact]
    public void The_spec_hash_changes_with_any_parameter()
    {
        var spec = Example("fedavg.json");
        var sha = JobFacts.Of(spec).SpecSha256;
        Assert.Equal(sha, JobFacts.Of(spec.Clone()).SpecSha256);
        spec.Local.LearningRate *= 2;
        Assert.NotEqual(sha, JobFacts.Of(spec).SpecSha256);
        Assert.Equal(64, sha.Length);
    }
}
