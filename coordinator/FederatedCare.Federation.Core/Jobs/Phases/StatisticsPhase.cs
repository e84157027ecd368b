using FederatedCare.Federation.Core.Strategies;
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
        var reports = await CollectAsync(available, task, ct).ConfigureAwait(false);
        var joined = new Dictionary<string, LocalStatistics>(StringComparer.Ordinal);
        var refusals = new List<string>();
        foreach (var client in available)
        {
            if (!reports.TryGetValue(client.Region, out var report))
                refusals.Add($"{client.Region}: no answer within {JobMessages.Seconds(job.RoundDeadline)} s");
            else if (report.OutcomeCase == ReportStatisticsRequest.OutcomeOneofCase.Refusal)
                refusals.Add($"{client.Region}: {report.Refusal}");
            else if (report.OutcomeCase == ReportStatisticsRequest.OutcomeOneofCase.Pending)
                refusals.Add($"{client.Region}: not approved within {JobMessages.Seconds(ApprovalWait)} s ({report.Pending})");
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
        job.Claims.TrainRows = joined.ToDictionary(j => j.Key, j => j.Value.TrainRows, StringComparer.Ordinal);
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

    /// <summary>How long regions whose approval is pending are waited for: the spec's approval_wait_seconds, else 24 h.</summary>
    public TimeSpan ApprovalWait => job.Spec.ApprovalWaitSeconds > 0 ? TimeSpan.FromSeconds(job.Spec.ApprovalWaitSeconds) : TimeSpan.FromHours(24);

    /// <summary>
    /// Asks <paramref name="clients"/> for their statistics; regions that answer "pending" (their data team has not
    /// approved the job yet) are asked again every <see cref="JobEngineOptions.ApprovalPollSeconds"/> (at most a round
    /// deadline), until none is pending or <see cref="ApprovalWait"/>
    /// has passed, the job's status naming the regions it waits for. Returns each region's last answer.
    /// </summary>
    private async Task<Dictionary<string, ReportStatisticsRequest>> CollectAsync(IReadOnlyList<AvailableClient> clients, NodeTask task, CancellationToken ct)
    {
        var reports = new Dictionary<string, ReportStatisticsRequest>(StringComparer.Ordinal);
        var until = job.Time.GetUtcNow() + ApprovalWait;
        var poll = TimeSpan.FromSeconds(job.Options.ApprovalPollSeconds);
        if (poll > job.RoundDeadline) poll = job.RoundDeadline;
        var asked = clients;
        for (int attempt = 0; ; attempt++)
        {
            // The next ask is due one poll after this one was opened (an absolute time, like a round's deadline).
            var nextAsk = job.Time.GetUtcNow() + poll;
            var open = new OpenRound(job.JobId, 0, RoundPhase.Statistics, "", null, asked, job.NextDeadline());
            var answers = (await dispatcher.CollectAsync(open, [task], attempt, ct).ConfigureAwait(false)).Statistics;
            foreach (var client in asked)
                if (answers.TryGetValue(client.NodeId, out var report)) reports[client.Region] = report;
            var pending = asked.Where(c => reports.TryGetValue(c.Region, out var r) && r.OutcomeCase == ReportStatisticsRequest.OutcomeOneofCase.Pending)
                .Select(c => c.Region).ToHashSet(StringComparer.Ordinal);
            var left = until - job.Time.GetUtcNow();
            if (pending.Count == 0 || left <= TimeSpan.Zero) return reports;
            var message = $"waiting for approval by {string.Join(", ", pending.Order(StringComparer.Ordinal))} " +
                $"(asking again every {JobMessages.Duration(poll)} for up to {JobMessages.Duration(left)} more)";
            JobLog.WaitingForApproval(logger, job.JobId, message);
            await status.SetAsync(message: message, ct: ct).ConfigureAwait(false);
            var wait = (nextAsk < until ? nextAsk : until) - job.Time.GetUtcNow();
            if (wait > TimeSpan.Zero) await Task.Delay(wait, job.Time, ct).ConfigureAwait(false);
            // The pending regions as connected now (a node that reconnected has a new id).
            asked = dispatcher.Connected().Where(c => pending.Contains(c.Region)).ToList();
            if (asked.Count == 0) return reports;
        }
    }
}
