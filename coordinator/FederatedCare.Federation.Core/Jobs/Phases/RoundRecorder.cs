using FederatedCare.Federation.Core.Storage;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// Persists a round in its two steps: stored (global model, summary and fit metrics, before anything is announced)
/// and completed (after its evaluation: completion time, duration, the job message with the evaluation and privacy
/// summary, published to the watchers with the round's metrics).
/// </summary>
public sealed class RoundRecorder(JobContext job, ICoordinatorStore store, JobStatusReporter status, ILogger logger)
{
    /// <summary>
    /// Stores the round's global model (with its input columns and normalisation, <see cref="NormalizationExport"/>),
    /// summary and the updates' fit metrics; sets the job's current round.
    /// </summary>
    public async Task SaveRoundAsync(RoundSummary summary, ModelParameters model, IReadOnlyList<ClientUpdate> updates, CancellationToken ct)
    {
        var stored = job.Spec.Schema is null ? model : model.WithMetadata(NormalizationExport.Metadata(job.Spec.Schema, job.GlobalStatistics));
        await store.SaveRoundAsync(job.JobId, summary, stored, ct).ConfigureAwait(false);
        var fitMetrics = FitMetrics.Rows(summary.Round, updates);
        if (fitMetrics.Count > 0) await store.Metrics.SaveAsync(job.JobId, fitMetrics, ct).ConfigureAwait(false);
        await status.SetAsync(currentRound: summary.Round, ct: ct).ConfigureAwait(false);
        JobLog.RoundStored(logger, job.JobId, summary.Round, summary.ModelSha256, string.Join(", ", summary.Participants), summary.NumExamples);
    }

    /// <summary>Completes a stored round with its evaluation <paramref name="metrics"/>; returns the job message it set.</summary>
    public async Task<string> CompleteRoundAsync(RoundSummary summary, IReadOnlyList<RegionMetrics> metrics, TimeSpan elapsed, CancellationToken ct)
    {
        var now = job.Time.GetUtcNow();
        var duration = summary.DurationSeconds + elapsed.TotalSeconds;
        await store.Rounds.CompleteAsync(job.JobId, summary.Round, now, duration, ct).ConfigureAwait(false);
        var published = summary.Clone();
        published.CompletedAt = Timestamp.FromDateTimeOffset(now);
        published.DurationSeconds = duration;
        published.Metrics.Clear();
        published.Metrics.AddRange(await store.Metrics.ListAsync(job.JobId, summary.Round, ct).ConfigureAwait(false));

        var message = $"round {summary.Round}/{job.Mode.Rounds} done";
        foreach (var mean in job.Strategy.AggregateEvaluate(metrics))
        {
            double? auc = mean.Extra.TryGetValue(MetricsAggregation.Auc, out var a) ? a : null;
            JobLog.Evaluated(logger, job.JobId, summary.Round, string.Join(", ", metrics.Select(m => m.Region).Distinct()),
                mean.Split, mean.Loss, mean.Accuracy, auc);
            if (mean.Split == WireNames.Splits.Test) message += JobMessages.DescribeTest(mean, metrics.Where(m => m.Split == WireNames.Splits.Test).ToList());
        }
        if (summary.Privacy is { } privacy) message += JobMessages.DescribePrivacy(privacy);
        await status.RoundCompletedAsync(message, published, ct).ConfigureAwait(false);
        return message;
    }
}
