using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// Round 0: one node initialises the model from the job seed (every node would produce the same) and uploads it; the
/// first region by name is asked, a retry asks the next one in case the first is stuck.
/// </summary>
public sealed class InitialModelPhase(JobContext job, RoundDispatcher dispatcher, RoundRecorder recorder)
{
    /// <summary>Collects and stores the initial model; returns it with round 0's summary.</summary>
    /// <exception cref="JobFailedException">No node sent it within max_round_retries + 1 attempts.</exception>
    public async Task<(ModelParameters Model, RoundSummary Summary)> RunAsync(CancellationToken ct)
    {
        var asked = new List<string>();
        for (int attempt = 0; attempt <= job.Spec.MaxRoundRetries; attempt++)
        {
            var available = await dispatcher.WaitForClientsAsync(1, ct).ConfigureAwait(false);
            var client = available[attempt % available.Count];
            var task = job.NewTask(0, "");
            task.Initialize = new InitializeTask();
            // The one update is the initial model itself: any layout, checked finite and kept whole, no aggregate.
            using var accumulator = RoundAccumulator.ForInitialModel(job.Options.Aggregation);
            var open = new OpenRound(job.JobId, 0, RoundPhase.Initialize, "", null, [client], job.NextDeadline(), accumulator: accumulator,
                trainRows: job.TrainRows);
            var answers = await dispatcher.CollectAsync(open, [task], attempt, ct).ConfigureAwait(false);
            var updates = answers.Updates;
            if (updates.Count == 1)
            {
                var update = updates.Values.Single();
                var summary = new RoundSummary
                {
                    Round = 0,
                    ModelSha256 = update.Delta.ComputeSha256(),
                    NumExamples = update.NumExamples,
                    Participants = { update.Region },
                };
                await recorder.SaveRoundAsync(summary, update.Delta, [update], ct).ConfigureAwait(false);
                return (update.Delta, summary);
            }
            asked.Add(answers.RefusalsOf([client]) is [var refusal] ? $"{refusal} (refused)" : client.Region);
        }
        throw new JobFailedException($"round 0: no initial model within {JobMessages.Seconds(job.RoundDeadline)} s after " +
            $"{job.Spec.MaxRoundRetries + 1} attempts (asked: {string.Join(", ", asked)}).");
    }
}
