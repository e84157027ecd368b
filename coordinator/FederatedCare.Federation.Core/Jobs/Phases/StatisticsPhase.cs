using FederatedCare.Protos.V1;
using Microsoft.Extensions.Logging;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// The statistics phase of a job with a dataset schema (also after a restart, since it is cheap and its result is
/// not stored): every connected participating region checks its file against the schema and reports its counts
/// (and, for federated z-score, per-column sums and sums of squares) or refuses. Regions that refuse or stay silent
/// are out of the job; with fewer than min_fit_clients left the job fails and its message quotes each refusal. For
/// federated z-score the pooled statistics go with every later task.
/// </summary>
public sealed class StatisticsPhase(JobContext job, RoundDispatcher dispatcher, JobStatusReporter status, ILogger logger)
{
    /// <summary>Runs the phase; narrows <see cref="JobContext.Regions"/> and sets <see cref="JobContext.GlobalStatistics"/>.</summary>
    /// <exception cref="JobFailedException">Too few regions joined, or their statistics cannot be pooled.</exception>
    public async Task RunAsync(CancellationToken ct)
    {
        var spec = job.Spec;
        var available = dispatcher.Connected();
        var task = job.NewTask(0, "");
        // The whole spec and its submitter: each region's policy judges the job on them before it reads a row.
        task.Statistics = new StatisticsTask { Analysis = spec.Analysis is not null, Spec = spec, SubmittedBy = job.SubmittedBy };
        var open = new OpenRound(job.JobId, 0, RoundPhase.Statistics, "", null, available, job.NextDeadline());
        var reports = (await dispatcher.CollectAsync(open, [task], 0, ct).ConfigureAwait(false)).Statistics;
        var joined = new Dictionary<string, LocalStatistics>(StringComparer.Ordinal);
        var refusals = new List<string>();
        foreach (var client in available)
        {
            if (!reports.TryGetValue(client.NodeId, out var report))
                refusals.Add($"{client.Region}: no answer within {JobMessages.Seconds(job.RoundDeadline)} s");
            else if (report.OutcomeCase == ReportStatisticsRequest.OutcomeOneofCase.Refusal)
                refusals.Add($"{client.Region}: {report.Refusal}");
            else
                joined[client.Region] = report.Statistics;
        }
        foreach (var refusal in refusals) JobLog.RegionOut(logger, job.JobId, refusal);
        job.RegionsOut = refusals;
        int needed = Math.Max(1, spec.MinFitClients);
        if (joined.Count < needed)
            throw new JobFailedException($"only {joined.Count} of {available.Count} regions joined ({needed} needed): " +
                string.Join("; ", refusals));
        job.Regions = new HashSet<string>(joined.Keys, StringComparer.Ordinal);
        if (spec.Schema.Normalization?.Kind == NormalizationKind.ZscoreFederated)
        {
            try
            {
                job.GlobalStatistics = StatisticsPool.Pool(joined, spec.Schema.Normalization.SampleStd);
            }
            catch (ArgumentException e)
            {
                throw new JobFailedException($"federated statistics: {e.Message}");
            }
        }
        var message = $"{joined.Count} regions joined ({string.Join(", ", joined.Keys.Order(StringComparer.Ordinal))}, " +
            $"{joined.Values.Sum(j => j.TrainRows)} training rows)" + (refusals.Count > 0 ? $"; out: {string.Join("; ", refusals)}" : "");
        JobLog.Joined(logger, job.JobId, message);
        await status.SetAsync(message: message, ct: ct).ConfigureAwait(false);
    }
}
