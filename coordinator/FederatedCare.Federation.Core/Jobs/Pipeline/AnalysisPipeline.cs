using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using Microsoft.Extensions.Logging;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// Runs an analysis job (<see cref="JobSpec.Analysis"/>) from its stored state to the end: waits for the regions, runs
/// the statistics phase (every region checks its file against the schema; those that refuse or stay silent are out),
/// then each analysis step in order through its <see cref="IAnalysisPhase"/>, storing each result before the next
/// step starts. Resumes after a restart: the statistics phase runs again (cheap, deterministic) and steps whose
/// result is stored are not run again; a step cut short runs again from its start.
/// </summary>
public sealed class AnalysisPipeline(JobContext job, StatisticsPhase statistics, RoundDispatcher dispatcher, JobStatusReporter status,
    ICoordinatorStore store, ILogger logger)
{
    /// <summary>Runs the job; returns its final message (each analysis's summary).</summary>
    /// <exception cref="JobFailedException">The job cannot go on; the message says why.</exception>
    /// <exception cref="OperationCanceledException">The job was aborted or the host stops.</exception>
    public async Task<string> RunAsync(CancellationToken ct)
    {
        var spec = job.Spec;
        var steps = spec.Analysis.Steps;
        await status.SetAsync(JobState.Running, message: "started", ct: ct).ConfigureAwait(false);
        JobLog.AnalysisStarted(logger, job.JobId, string.Join(", ", steps.Select(s => s.KindCase.ToString())), spec.Dataset);
        await dispatcher.WaitForClientsAsync(Math.Max(spec.MinAvailableClients, spec.MinFitClients), ct).ConfigureAwait(false);
        await statistics.RunAsync(ct).ConfigureAwait(false);

        var stored = (await store.Analyses.ListAsync(job.JobId, ct).ConfigureAwait(false)).ToDictionary(r => r.Step);
        var summaries = new List<string>();
        int roundsUsed = 0;
        for (int step = 0; step < steps.Count; step++)
        {
            if (!stored.TryGetValue(step, out var result))
            {
                var phase = AnalysisPhases.Create(steps[step]);
                var run = new AnalysisRun(job, step, dispatcher, status, logger) { RoundsUsed = roundsUsed };
                result = await phase.RunAsync(run, ct).ConfigureAwait(false);
                roundsUsed = run.RoundsUsed;
                result.Step = step;
                result.Kind = phase.Kind;
                await store.Analyses.SaveAsync(job.JobId, result, ct).ConfigureAwait(false);
                JobLog.AnalysisDone(logger, job.JobId, step, result.Kind, result.Summary);
                await status.SetAsync(message: $"analysis {step + 1} of {steps.Count} done: {result.Summary}", ct: ct).ConfigureAwait(false);
            }
            summaries.Add(result.Summary);
        }
        var message = summaries.Count > 0 ? string.Join("; ", summaries) : "no analyses";
        return job.RegionsOut.Count > 0 ? $"{message}; out of this job: {string.Join("; ", job.RegionsOut)}" : message;
    }
}
