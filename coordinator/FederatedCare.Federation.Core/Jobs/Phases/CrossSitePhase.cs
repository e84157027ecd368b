using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Microsoft.Extensions.Logging;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// The cross-site matrix: every connected participating region evaluates the final global model (label "global",
/// where the mode has one) and every stored local model ("local:&lt;region&gt;") on its test rows. One round (number
/// R) with one EvaluateTask per node and model, whose NodeTask.model_sha256 names the model; it ends when every cell
/// arrived or at the deadline (missing cells stay absent). The handler that receives a cell stores it.
/// </summary>
public sealed class CrossSitePhase(JobContext job, RoundDispatcher dispatcher, ICoordinatorStore store, ModelCache cache,
    JobStatusReporter status, ILogger logger)
{
    /// <summary>Runs the matrix after the final global model <paramref name="global"/>; returns the message it set.</summary>
    /// <exception cref="JobFailedException">A stored local model is missing.</exception>
    public async Task<string> RunAsync(string globalSha, ModelParameters global, CancellationToken ct)
    {
        var models = new List<(string Label, string Sha256, ModelParameters Model)>();
        if (job.Mode.CrossSiteGlobal) models.Add((CrossSiteLabels.Global, globalSha, global));
        foreach (var (name, sha) in await store.Models.ListAsync(job.JobId, CrossSiteLabels.TensorSetPrefix, ct).ConfigureAwait(false))
        {
            var model = await store.Models.ReadAsync(job.JobId, sha, ct).ConfigureAwait(false)
                ?? throw new JobFailedException($"cross-site validation: the local model '{name}' ({sha}) is missing from the store.");
            models.Add((CrossSiteLabels.FromTensorSet(name), sha, model));
        }
        var available = dispatcher.Connected();
        if (models.Count == 0 || available.Count == 0)
            return $"cross-site validation skipped ({models.Count} models, {available.Count} regions connected)";

        cache.Set(job.JobId, models.Select(m => (m.Sha256, m.Model)));
        int rounds = job.Mode.Rounds;
        var tasks = models.Select(m =>
        {
            var task = job.NewTask(rounds, m.Sha256);
            task.Evaluate = new EvaluateTask { ModelLabel = m.Label, Splits = { WireNames.Splits.Test } };
            return task;
        }).ToList();
        var labels = models.Select(m => m.Label).ToList();
        var open = new OpenRound(job.JobId, rounds, RoundPhase.CrossSite, "", null, available, job.NextDeadline(), labels);
        var (_, reports, _) = await dispatcher.CollectAsync(open, tasks, 0, ct).ConfigureAwait(false);

        var message = $"cross-site validation: {reports.Count} of {available.Count * labels.Count} cells " +
            $"({available.Count} regions x {labels.Count} models: {string.Join(", ", labels)})";
        JobLog.CrossSiteDone(logger, job.JobId, reports.Count, available.Count, labels.Count);
        await status.SetAsync(message: message, ct: ct).ConfigureAwait(false);
        return message;
    }
}
