using FederatedCare.Protos.V1;

namespace FederatedCare.Node.Sdk;

/// <summary>
/// The region's gate for jobs, asked by <see cref="TrainerTaskHandler"/> before the node reads a single row: once for
/// a job's statistics task (the first task of every job with a dataset schema: it carries the whole
/// <see cref="StatisticsTask.Spec"/> and the submitter), then for every later task of that job. The node agent's
/// policy implements it; the SDK knows nothing of the rules. Called one task at a time.
/// </summary>
public interface IJobAdmission
{
    /// <summary>Judges the job of <paramref name="task"/> (a statistics task): admitted, pending a person's approval, or refused.</summary>
    JobAdmission Admit(NodeTask task);

    /// <summary>
    /// Whether a later task (initialize, fit, evaluate, analysis) of an admitted job may run here: null when it may,
    /// else why not (the rule; never a value from the data). A task of a job this node did not admit is refused.
    /// </summary>
    string? Check(NodeTask task);
}

/// <summary>What <see cref="IJobAdmission.Admit"/> decided.</summary>
public enum JobAdmissionOutcome
{
    /// <summary>The job may read this region's data.</summary>
    Admitted,

    /// <summary>The job waits for a person of the region's data team (manual approval); the coordinator asks again.</summary>
    Pending,

    /// <summary>The region does not take part in the job.</summary>
    Refused,
}

/// <summary>A decision of <see cref="IJobAdmission.Admit"/>.</summary>
/// <param name="Outcome">Admitted, pending or refused.</param>
/// <param name="Reason">
/// For the coordinator's job status: the rule that refused the job, or what it waits for; null when admitted. It names
/// the region's rule and the job's settings, never a value from the data.
/// </param>
public sealed record JobAdmission(JobAdmissionOutcome Outcome, string? Reason)
{
    /// <summary>Admitted.</summary>
    public static JobAdmission Admitted { get; } = new(JobAdmissionOutcome.Admitted, null);
}
