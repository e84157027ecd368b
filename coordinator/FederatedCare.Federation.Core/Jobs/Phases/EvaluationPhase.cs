using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// Federated evaluation of one round's global model: every connected participating region reports metrics on the
/// host's evaluation splits until all did or the deadline passed. The handler that receives a report stores it
/// before acknowledging it; here the reports are only gathered for the round's summary.
/// </summary>
public sealed class EvaluationPhase(JobContext job, RoundDispatcher dispatcher)
{
    /// <summary>The metrics reported for the model <paramref name="sha"/> of <paramref name="round"/>, by region and split.</summary>
    public async Task<IReadOnlyList<RegionMetrics>> RunAsync(int round, string sha, CancellationToken ct)
    {
        var available = dispatcher.Connected();
        if (available.Count == 0) return [];
        var task = job.NewTask(round, sha);
        task.Evaluate = new EvaluateTask { Splits = { job.Options.EvaluationSplits } };
        var open = new OpenRound(job.JobId, round, RoundPhase.Evaluate, sha, null, available, job.NextDeadline());
        var (_, reports, _) = await dispatcher.CollectAsync(open, [task], 0, ct).ConfigureAwait(false);
        return reports.Values.SelectMany(m => m)
            .OrderBy(m => m.Region, StringComparer.Ordinal).ThenBy(m => m.Split, StringComparer.Ordinal).ToList();
    }
}
