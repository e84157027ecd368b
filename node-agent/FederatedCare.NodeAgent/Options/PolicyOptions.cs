namespace FederatedCare.NodeAgent.Options;

/// <summary>
/// The region's policy, section <c>NodeAgent:Policy</c>: what a job must be for this node to read its data. The node
/// enforces it before it reads a single row (at the job's statistics task) and again on every later task; nothing the
/// coordinator sends can relax it. Without the section the node runs every job its datasets match (and says so at
/// start). A job is refused when it breaks any rule; the refusal names the region's rule, never a value from the data.
/// What the region releases in analyses (the minimum cell count, exact event times) stays in
/// <c>NodeAgent:Analysis</c> (<see cref="AnalysisOptions"/>), the one place those rules live.
/// </summary>
public sealed class PolicyOptions
{
    /// <summary><see cref="Approval"/>: the policy's checks decide.</summary>
    public const string AutoApproval = "auto";

    /// <summary><see cref="Approval"/>: a job the policy allows also waits for a person of the region's data team.</summary>
    public const string ManualApproval = "manual";

    /// <summary>Job kinds for <see cref="JobKinds"/>: training (any training job), statistics (Table 1, cross-tabs), survival (Kaplan–Meier, log-rank, Cox).</summary>
    public const string TrainingKind = "training", StatisticsKind = "statistics", SurvivalKind = "survival";

    /// <summary>Every job kind.</summary>
    public static readonly IReadOnlyList<string> AllKinds = [TrainingKind, StatisticsKind, SurvivalKind];

    /// <summary>
    /// <c>auto</c> (the policy's checks only) or <c>manual</c>: a new job's spec (its SHA-256, columns, rounds, planned ε,
    /// kind, submitter) is written to <c>&lt;StateDirectory&gt;/approvals</c> and the job waits until a person approves
    /// that hash (<c>approvals approve</c>). Default auto.
    /// </summary>
    public string Approval { get; set; } = AutoApproval;

    /// <summary>
    /// The allowlist of datasets and their columns, keyed by the dataset's name in jobs: a job on a dataset not
    /// listed, or using a column (feature, label, event column, analysis variable) not listed for it, is refused.
    /// Required.
    /// </summary>
    public Dictionary<string, PolicyDatasetOptions> Datasets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Allowed job kinds (<see cref="AllKinds"/>). Empty: every kind.</summary>
    public List<string> JobKinds { get; set; } = [];

    /// <summary>Allowed strategies of training jobs (e.g. <c>fedavg</c>), case-insensitive. Empty: every strategy.</summary>
    public List<string> Strategies { get; set; } = [];

    /// <summary>Allowed models of training jobs (e.g. <c>logistic_regression</c>). Empty: every model.</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>The most rounds a training job may have (local mode: its local epochs are one round). 0: no limit.</summary>
    public int MaxRounds { get; set; }

    /// <summary>Whether a training job must use differential privacy (JobSpec.privacy with a noise multiplier above 0).</summary>
    public bool RequireDifferentialPrivacy { get; set; }

    /// <summary>
    /// The largest ε, at the job's δ, this region accepts for a whole training job: the node computes the job's planned
    /// ε (all its rounds) with the coordinator's accountant before it joins and refuses above it; a training job
    /// without differential privacy has ε = ∞. Null: no limit.
    /// </summary>
    public double? MaxEpsilon { get; set; }

    /// <summary>Whether jobs must use secure aggregation. The platform has none yet, so every job is then refused, saying so.</summary>
    public bool RequireSecureAggregation { get; set; }

    /// <summary>
    /// The fewest regions whose updates the coordinator may aggregate with this region's: in a fit round with fewer
    /// participants this region sends no update. Default 1 (no limit).
    /// </summary>
    public int MinRegionsPerAggregate { get; set; } = 1;

    /// <summary>
    /// Whether the coordinator may keep this region's local model (cross-site validation and local mode store it);
    /// false refuses such jobs. Default false.
    /// </summary>
    public bool AllowLocalModelAtCoordinator { get; set; }

    /// <summary>
    /// The operators (certificate names, e.g. <c>alice</c>) who may run jobs on this region; a job submitted by anyone
    /// else, or without mutual TLS (no certificate name), is refused. Empty: every operator.
    /// </summary>
    public List<string> AllowedOperators { get; set; } = [];
}

/// <summary>One dataset of <see cref="PolicyOptions.Datasets"/>.</summary>
public sealed class PolicyDatasetOptions
{
    /// <summary>The columns (in the job's names, after the region's mapping) a job may use. Required, at least one.</summary>
    public List<string> Columns { get; set; } = [];
}
