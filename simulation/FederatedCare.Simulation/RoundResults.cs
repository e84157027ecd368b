using System.Diagnostics;
using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;

namespace FederatedCare.Simulation;

/// <summary>
/// The simulation's watcher (<see cref="IJobEventSink"/>): each completed fit round's global model is evaluated on the
/// central test set and becomes a <see cref="RoundResult"/> (train loss: the example-weighted mean of the fit rows).
/// </summary>
internal sealed class RoundResults(ICoordinatorStore store, Mlp mlp, Dataset test, Action<RoundResult>? onRound) : IJobEventSink
{
    private readonly List<RoundResult> _all = [];

    public IReadOnlyList<RoundResult> All => _all;

    public void Publish(JobStatus status, RoundSummary? round = null)
    {
        if (round is null || round.Round == 0 || round.Participants.Count == 0) return;
        var (_, model) = store.LoadGlobalModelAsync(status.JobId, round.Round).GetAwaiter().GetResult()
            ?? throw new InvalidOperationException($"round {round.Round} has no stored model.");
        var (loss, accuracy) = mlp.Evaluate(model, test);
        var fit = round.Metrics.Where(m => m.Split == FitMetrics.Split).ToList();
        long examples = fit.Sum(m => m.NumExamples);
        double trainLoss = fit.Sum(m => m.Loss * m.NumExamples) / Math.Max(1, examples);
        // Measured after a full collection, so the figure shows what the simulation holds, not uncollected garbage.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var result = new RoundResult(round.Round, round.Participants.Count, round.DurationSeconds, trainLoss, loss, accuracy,
            Process.GetCurrentProcess().WorkingSet64 / 1e6, round.ModelSha256);
        _all.Add(result);
        onRound?.Invoke(result);
    }
}
