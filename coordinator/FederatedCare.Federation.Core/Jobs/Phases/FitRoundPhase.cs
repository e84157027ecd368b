using System.Globalization;
using System.Numerics.Tensors;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// One fit round: the strategy (or the mode) selects clients and writes their instructions, the selected clients
/// train on the global model and upload deltas until all answered or the deadline passed; with at least
/// min_fit_clients the updates are aggregated, checked finite and stored with the round, else the round is retried
/// (max_round_retries) and then fails the job with a clear reason.
/// </summary>
public sealed class FitRoundPhase(JobContext job, RoundDispatcher dispatcher, RoundRecorder recorder, PrivacyLedger ledger,
    ICoordinatorStore store, ModelCache cache, IChaosHook chaos)
{
    /// <summary>Runs round <paramref name="round"/> from <paramref name="global"/> (SHA-256 <paramref name="sha"/>); returns the next model and the stored summary.</summary>
    /// <exception cref="JobFailedException">Too few updates after every retry, or an aggregate that cannot be used.</exception>
    public async Task<(ModelParameters Model, RoundSummary Summary)> RunAsync(int round, ModelParameters global, string sha, CancellationToken ct)
    {
        var spec = job.Spec;
        IReadOnlyCollection<string> missing = [];
        IReadOnlyList<string> refused = [];
        int answered = 0, selected = 0;
        for (int attempt = 0; attempt <= spec.MaxRoundRetries; attempt++)
        {
            var available = await dispatcher.WaitForClientsAsync(spec.MinFitClients, ct).ConfigureAwait(false);
            var context = new FitContext(round, attempt, spec, available, global);
            var plan = job.Mode.Plan(job.Strategy, context);
            var task = await FitTaskAsync(round, global, sha, plan, ct).ConfigureAwait(false);
            // A fresh accumulator per attempt: it decodes, validates, clips and keeps or folds every update.
            using var aggregation = job.Mode.StartAggregation(job.Strategy, context, job.Options);
            var open = new OpenRound(job.JobId, round, RoundPhase.Fit, sha, aggregation.Accumulator.Layout, plan.Clients, job.NextDeadline(),
                accumulator: aggregation.Accumulator, claims: job.Claims);
            var answers = await dispatcher.CollectAsync(open, [task], attempt, ct).ConfigureAwait(false);
            var updates = answers.Updates;
            if (updates.Count >= spec.MinFitClients)
            {
                var accepted = updates.Values.OrderBy(u => u.Region, StringComparer.Ordinal).ToList();
                ModelParameters next;
                using (job.Options.Metrics?.TimeAggregation()) next = aggregation.Finish(round, global);
                GlobalModelCheck.ThrowIfNonFinite(round, next);
                await job.Mode.SaveStateAsync(store, job.JobId, round, job.Strategy, ct).ConfigureAwait(false);
                await chaos.PauseAsync(ChaosPoints.MidAggregation, round, ct).ConfigureAwait(false);
                if (job.Mode.CrossSite) await SaveLocalModelsAsync(global, accepted, ct).ConfigureAwait(false);
                var summary = new RoundSummary
                {
                    Round = round,
                    ModelSha256 = next.ComputeSha256(),
                    NumExamples = accepted.Sum(u => u.NumExamples),
                    // q = 1 whatever fraction_fit selected: the selection is seeded by the job seed, which anyone who
                    // can read the spec can recompute, so sampling amplification does not apply (README, limits).
                    Privacy = ledger.Spend(round, samplingRate: 1, accepted.Count),
                };
                summary.Participants.AddRange(accepted.Select(u => u.Region));
                await recorder.SaveRoundAsync(summary, next, accepted, ct).ConfigureAwait(false);
                job.Claims.Record(round, accepted);
                await job.Options.Retention.ApplyAsync(store.Models, job.JobId, round, ct).ConfigureAwait(false);
                return (next, summary);
            }
            (answered, selected) = (updates.Count, plan.Clients.Count);
            refused = answers.RefusalsOf(plan.Clients);
            missing = plan.Clients.Where(c => !updates.ContainsKey(c.NodeId) && !answers.Refusals.ContainsKey((c.NodeId, ""))).Select(c => c.Region).ToList();
        }
        throw new JobFailedException(
            $"round {round}: only {answered} of {selected} selected clients sent an update within {JobMessages.Seconds(job.RoundDeadline)} s " +
            $"({spec.MinFitClients} needed) after {spec.MaxRoundRetries + 1} attempts" +
            (refused.Count > 0 ? $"; refused by {string.Join("; ", refused)}" : "") +
            (missing.Count > 0 ? $"; no update from: {string.Join(", ", missing)}" : "") + ".");
    }

    private async Task<NodeTask> FitTaskAsync(int round, ModelParameters global, string sha, FitPlan plan, CancellationToken ct)
    {
        var task = job.NewTask(round, sha);
        // Participants: a region whose policy asks for more regions per aggregate sends no update in this round.
        task.Fit = new FitTask { Local = job.Spec.Local, Strategy = plan.Instructions, Participants = plan.Clients.Count };
        if (job.Privacy is { ClientSideClipping: true }) task.Fit.ClippingNorm = job.Privacy.ClippingNorm;
        if (plan.ServerControl is { } control)
        {
            // Stored before it is announced, like every model a node may download.
            task.Fit.ServerControlSha256 = control.ComputeSha256();
            await store.Models.SaveAsync(job.JobId, ModelNames.Control(round), control, ct: ct).ConfigureAwait(false);
            cache.Set(job.JobId, (sha, global), (task.Fit.ServerControlSha256, control));
        }
        task.Fit.UpdateEncoding = job.Spec.UpdateEncoding;
        return task;
    }

    /// <summary>
    /// Stores each region's local model, the global model its update started from plus its delta, as the tensor set
    /// <c>local-&lt;region&gt;</c>: a later round replaces it, so after the last round each region's set is its final
    /// local model (from the last round it took part in) and nodes need not keep anything.
    /// </summary>
    private async Task SaveLocalModelsAsync(ModelParameters global, IReadOnlyList<ClientUpdate> accepted, CancellationToken ct)
    {
        foreach (var update in accepted)
        {
            var local = global.Clone();
            for (int t = 0; t < local.Tensors.Count; t++)
                TensorPrimitives.Add(local.Tensors[t].Values, update.Delta.Tensors[t].Values, local.Tensors[t].Values);
            await store.Models.SaveAsync(job.JobId, CrossSiteLabels.TensorSetPrefix + update.Region, local, ct: ct).ConfigureAwait(false);
        }
    }
}
