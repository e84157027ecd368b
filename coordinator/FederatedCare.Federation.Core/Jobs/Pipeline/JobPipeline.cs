using FederatedCare.Privacy;
using FederatedCare.Federation.Core.Privacy;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Microsoft.Extensions.Logging;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>The phases of one job, built by <see cref="JobEngine"/>.</summary>
public sealed record JobPhases(StatisticsPhase Statistics, InitialModelPhase InitialModel, FitRoundPhase Fit,
    EvaluationPhase Evaluation, CrossSitePhase CrossSite);

/// <summary>
/// Runs one job from its stored state to the end: the statistics phase (jobs with a dataset schema), round 0 (the
/// initial model), fit rounds 1..R each followed by federated evaluation where the mode asks for it, then, when the
/// mode asks for it, cross-site validation. Resumes after a restart: rounds whose model is stored are not trained
/// again, rounds not yet summarised are evaluated and summarised, the strategy's state and the privacy spent are
/// restored from the stored rounds (so are the num_examples each region claimed), and cross-site validation (whose local models are stored) runs again. The final
/// message names every round that was due for evaluation but got no region's metrics.
/// </summary>
public sealed class JobPipeline(JobContext job, JobPhases phases, RoundDispatcher dispatcher, RoundRecorder recorder, PrivacyLedger ledger,
    JobStatusReporter status, ICoordinatorStore store, ModelCache cache, IChaosHook chaos, ILogger logger)
{
    /// <summary>Runs the job; returns its final message.</summary>
    /// <exception cref="JobFailedException">The job cannot go on; the message says why.</exception>
    /// <exception cref="OperationCanceledException">The job was aborted or the host stops.</exception>
    public async Task<string> RunAsync(CancellationToken ct)
    {
        var spec = job.Spec;
        await status.SetAsync(JobState.Running, message: "started", ct: ct).ConfigureAwait(false);
        JobLog.JobStarted(logger, job.JobId, job.Mode.Rounds, job.Mode.Describe(job.Strategy), spec.Dataset);
        if (job.Privacy is { } privacy)
            JobLog.PrivacyOn(logger, job.JobId, privacy.ClippingNorm, privacy.ClientSideClipping ? PrivacySettings.ClientClipping
                : PrivacySettings.ServerClipping, privacy.NoiseMultiplier, privacy.Delta);
        await dispatcher.WaitForClientsAsync(Math.Max(spec.MinAvailableClients, spec.MinFitClients), ct).ConfigureAwait(false);
        if (spec.Schema is not null) await phases.Statistics.RunAsync(ct).ConfigureAwait(false);

        var stored = (await store.Rounds.ListAsync(job.JobId, ct).ConfigureAwait(false)).ToDictionary(r => r.Round);
        ledger.Restore(stored.Values);
        // After a restart each region's num_examples stays what its first accepted update claimed (the fit rows).
        if (stored.Count > 0) job.Claims.Restore(await store.Metrics.ListAsync(job.JobId, null, ct).ConfigureAwait(false));
        ModelParameters global;
        string sha;
        if (await store.LoadGlobalModelAsync(job.JobId, null, ct).ConfigureAwait(false) is { } latest)
        {
            (global, sha) = (latest.Model, stored[latest.Round].ModelSha256);
            await job.Mode.RestoreStateAsync(store, job.JobId, latest.Round, job.Strategy, ct).ConfigureAwait(false);
        }
        else
        {
            var started = job.Time.GetTimestamp();
            (global, var summary) = await phases.InitialModel.RunAsync(ct).ConfigureAwait(false);
            sha = summary.ModelSha256;
            stored[0] = summary;
            summary.DurationSeconds = job.Time.GetElapsedTime(started).TotalSeconds;
        }
        cache.Set(job.JobId, (sha, global));

        string lastMessage = "";
        var notEvaluated = new List<int>();
        for (int round = 0; round <= job.Mode.Rounds; round++)
        {
            var started = job.Time.GetTimestamp();
            if (!stored.TryGetValue(round, out var summary))
            {
                (global, summary) = await phases.Fit.RunAsync(round, global, sha, ct).ConfigureAwait(false);
                sha = summary.ModelSha256;
                cache.Set(job.JobId, (sha, global));
            }
            bool due = job.Mode.ShouldEvaluate(round);
            if (summary.CompletedAt is not null)
            {
                if (due && !summary.Metrics.Any(IsEvaluation)) notEvaluated.Add(round);
                continue;
            }
            var metrics = due ? await phases.Evaluation.RunAsync(round, summary.ModelSha256, ct).ConfigureAwait(false) : [];
            // A stopping host (its regions going away with it) must not record the round as evaluated by nobody: left
            // unrecorded, it is evaluated after the restart.
            ct.ThrowIfCancellationRequested();
            if (due && !metrics.Any(IsEvaluation)) notEvaluated.Add(round);
            lastMessage = await recorder.CompleteRoundAsync(summary, metrics, job.Time.GetElapsedTime(started), ct).ConfigureAwait(false);
            await chaos.PauseAsync(ChaosPoints.BetweenRounds, round, ct).ConfigureAwait(false);
        }
        if (job.Mode.CrossSite)
        {
            var crossSite = await phases.CrossSite.RunAsync(sha, global, ct).ConfigureAwait(false);
            lastMessage = lastMessage.Length > 0 ? $"{lastMessage}; {crossSite}" : crossSite;
        }
        if (lastMessage.Length == 0) lastMessage = $"{job.Mode.Rounds} rounds done";
        // A round due for evaluation that no region reported on must not pass for an evaluated one.
        if (notEvaluated.Count > 0)
            lastMessage += $"; not evaluated (no region reported metrics): round{(notEvaluated.Count > 1 ? "s" : "")} {string.Join(", ", notEvaluated)}";
        // Regions that refused the job or stayed silent in its statistics phase stay named in the final status.
        return job.RegionsOut.Count > 0 ? $"{lastMessage}; out of this job: {string.Join("; ", job.RegionsOut)}" : lastMessage;
    }

    private bool IsEvaluation(RegionMetrics m) => job.Options.EvaluationSplits.Contains(m.Split, StringComparer.Ordinal);
}
