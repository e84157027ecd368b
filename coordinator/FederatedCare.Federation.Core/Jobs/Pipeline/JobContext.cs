using FederatedCare.Privacy;
using FederatedCare.Federation.Core.Privacy;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// What the phases of one running job share: its id, spec, mode, strategy and privacy settings, the round deadline,
/// and what the statistics phase decided (the regions that take part, the pooled statistics sent with every task).
/// </summary>
public sealed class JobContext(JobStatus job, TrainingMode mode, IStrategy strategy, JobEngineOptions options, TimeProvider time)
{
    /// <summary>The job's id.</summary>
    public string JobId { get; } = job.JobId;

    /// <summary>The job's spec.</summary>
    public JobSpec Spec { get; } = job.Spec;

    /// <summary>Who submitted the job (the operator's certificate name with mutual TLS; empty without).</summary>
    public string SubmittedBy { get; } = job.SubmittedBy ?? "";

    /// <summary>Federated or local.</summary>
    public TrainingMode Mode { get; } = mode;

    /// <summary>The job's strategy (with privacy: wrapped in DP-FedAvg).</summary>
    public IStrategy Strategy { get; } = strategy;

    /// <summary>The job's differential privacy; null without.</summary>
    public PrivacySettings? Privacy { get; } = PrivacySettings.From(job.Spec);

    /// <summary>The host's engine settings.</summary>
    public JobEngineOptions Options { get; } = options;

    /// <summary>The clock every deadline is measured on.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>How long a round waits for answers.</summary>
    public TimeSpan RoundDeadline { get; } = TimeSpan.FromSeconds(job.Spec.RoundDeadlineSeconds > 0
        ? job.Spec.RoundDeadlineSeconds : options.DefaultRoundDeadlineSeconds);

    /// <summary>How long a job waits for clients when <c>spec.wait_for_clients_seconds</c> is 0: 600 s.</summary>
    public const double DefaultClientWaitSeconds = 600;

    /// <summary>How long each wait for enough clients lasts before the job fails (<c>spec.wait_for_clients_seconds</c>).</summary>
    public TimeSpan ClientWait { get; } = TimeSpan.FromSeconds(job.Spec.WaitForClientsSeconds > 0
        ? job.Spec.WaitForClientsSeconds : DefaultClientWaitSeconds);

    /// <summary>The regions that may take part: spec.regions (empty: all), narrowed by the statistics phase to those that joined.</summary>
    public IReadOnlyCollection<string> Regions { get; set; } = new HashSet<string>(job.Spec.Regions, StringComparer.Ordinal);

    /// <summary>Federated z-score: the pooled statistics every later task carries; else null.</summary>
    public GlobalStatistics? GlobalStatistics { get; set; }

    /// <summary>
    /// What each region's updates may claim as num_examples (FedAvg weighs by them): at most the training rows it
    /// reported in the statistics phase, and the same count in every fit round.
    /// </summary>
    public ExampleClaims Claims { get; } = new();

    /// <summary>"Region: reason" for each region out of the job after the statistics phase.</summary>
    public IReadOnlyList<string> RegionsOut { get; set; } = [];

    /// <summary>The deadline of a round opened now.</summary>
    public DateTimeOffset NextDeadline() => Time.GetUtcNow() + RoundDeadline;

    /// <summary>A task of <paramref name="round"/> on the model <paramref name="sha"/> (empty: none), without its kind.</summary>
    public NodeTask NewTask(int round, string sha) => new()
    {
        JobId = JobId,
        Round = round,
        Dataset = Spec.Dataset,
        Model = Spec.Model,
        ModelSha256 = sha,
        Seed = Spec.Seed,
        Schema = Spec.Schema,
        GlobalStatistics = GlobalStatistics,
    };
}
