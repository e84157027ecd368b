using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// Round 0: one node initialises the model from the job seed (every node would produce the same) and uploads it; the
/// first region by name is asked, a retry asks the next one in case the first is stuck. With
/// <c>spec.initial_model_sha256</c> the operator's uploaded model (<see cref="UploadedModels"/>) is round 0's instead;
/// the region's initialisation then only shows the job's model layout, which the given model must have (tensor names
/// in order and shapes), so a file of another architecture fails the job before any region trains or evaluates it.
/// </summary>
public sealed class InitialModelPhase(JobContext job, RoundDispatcher dispatcher, RoundRecorder recorder, ICoordinatorStore store)
{
    /// <summary>Collects and stores the initial model; returns it with round 0's summary.</summary>
    /// <exception cref="JobFailedException">No node sent it within max_round_retries + 1 attempts; or the given model is
    /// gone from the store or does not have the job's model layout.</exception>
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
                claims: job.Claims);
            var answers = await dispatcher.CollectAsync(open, [task], attempt, ct).ConfigureAwait(false);
            var updates = answers.Updates;
            if (updates.Count == 1 && job.Spec.InitialModelSha256.Length > 0)
                return await SaveGivenAsync(updates.Values.Single(), ct).ConfigureAwait(false);
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
        throw new JobFailedException($"round 0: no {(job.Spec.InitialModelSha256.Length > 0 ? "model layout" : "initial model")} within {JobMessages.Seconds(job.RoundDeadline)} s after " +
            $"{job.Spec.MaxRoundRetries + 1} attempts (asked: {string.Join(", ", asked)}).");
    }

    // The operator's model as round 0, once it is known to have the layout the region's initialisation showed.
    private async Task<(ModelParameters Model, RoundSummary Summary)> SaveGivenAsync(ClientUpdate layout, CancellationToken ct)
    {
        var sha = job.Spec.InitialModelSha256;
        var given = await store.Models.ReadAsync(UploadedModels.Owner, sha, ct).ConfigureAwait(false)
            ?? throw new JobFailedException($"round 0: the uploaded model {sha} (spec.initial_model_sha256) is no longer stored.");
        var arranged = new List<NamedTensor>(layout.Delta.Tensors.Count);
        foreach (var expected in layout.Delta.Tensors)
        {
            var tensor = given.Tensors.FirstOrDefault(t => t.Name == expected.Name)
                ?? throw Mismatch(sha, $"it has no tensor '{expected.Name}'");
            if (!tensor.Shape.SequenceEqual(expected.Shape))
                throw Mismatch(sha, $"tensor '{expected.Name}' has shape [{string.Join(", ", tensor.Shape)}], the job's model [{string.Join(", ", expected.Shape)}]");
            arranged.Add(tensor);
        }
        if (given.Tensors.FirstOrDefault(t => layout.Delta.Tensors.All(e => e.Name != t.Name)) is { } extra)
            throw Mismatch(sha, $"its tensor '{extra.Name}' is not in the job's model");
        // In the job's tensor order (a file written by PyTorch may order them otherwise): the version id of round 0.
        var model = new ModelParameters(arranged) { Metadata = given.Metadata };
        var summary = new RoundSummary { Round = 0, ModelSha256 = model.ComputeSha256() };
        await recorder.SaveRoundAsync(summary, model, [], ct).ConfigureAwait(false);
        return (model, summary);
    }

    private JobFailedException Mismatch(string sha, string what) =>
        new($"round 0: the given model {sha} does not fit the job's model '{job.Spec.Model.Name}': {what}.");
}
