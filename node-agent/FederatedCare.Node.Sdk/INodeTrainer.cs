using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Node.Sdk;

/// <summary>
/// What a region's node provides: its data and its model code behind the four task kinds. The SDK's
/// <see cref="TrainerTaskHandler"/> does everything around it (download and cache, fit mods, upload, report).
/// Called one task at a time. A task that cannot run here throws <see cref="NodeTaskRejectedException"/>,
/// <see cref="ArgumentException"/> or <see cref="InvalidDataException"/>: the task is logged and dropped.
/// </summary>
public interface INodeTrainer
{
    /// <summary>The job's initial model, built from <see cref="NodeTask.Seed"/> and <see cref="NodeTask.Model"/>.</summary>
    InitialModel Initialize(NodeTask task);

    /// <summary>Trains locally from <see cref="FitRequest.Global"/> and returns the delta (local − global).</summary>
    FitResult Fit(FitRequest request, CancellationToken cancellationToken);

    /// <summary>Metrics of <paramref name="model"/> on each of <paramref name="splits"/> (distinct, non-empty), one per split.</summary>
    IReadOnlyList<RegionMetrics> Evaluate(NodeTask task, ModelParameters model, IReadOnlyList<string> splits);

    /// <summary>The job's aggregates as the schema allows, or a refusal with its reason (this region stays out of the job).</summary>
    StatisticsAnswer Statistics(NodeTask task);
}

/// <summary>An initial model and the rows it was built for.</summary>
/// <param name="Model">The seeded model.</param>
/// <param name="NumExamples">Training rows of this region for the job.</param>
public sealed record InitialModel(ModelParameters Model, long NumExamples);

/// <summary>One fit: the task, its global model and what the fit mods ask of local training.</summary>
/// <param name="Task">The fit task (its strategy, local-training spec, seed and round).</param>
/// <param name="Global">The downloaded global model.</param>
/// <param name="GradientCorrection">Added to every local gradient (SCAFFOLD's c − cᵢ), or null.</param>
public sealed record FitRequest(NodeTask Task, ModelParameters Global, ModelParameters? GradientCorrection);

/// <summary>The outcome of local training.</summary>
/// <param name="Delta">Local weights minus the global weights, the global model's names and shapes.</param>
/// <param name="NumExamples">Training rows (the FedAvg weight).</param>
/// <param name="Steps">Local SGD steps taken (SCAFFOLD's K); 0 for a trainer that did not train.</param>
/// <param name="TrainLoss">Mean of the mini-batch losses.</param>
/// <param name="Metrics">Sent with the update (<see cref="WireNames.FitMetrics"/>).</param>
public sealed record FitResult(ModelParameters Delta, long NumExamples, long Steps, double TrainLoss, IReadOnlyDictionary<string, double> Metrics);

/// <summary>The answer to a statistics task: exactly one of the two is set.</summary>
/// <param name="Statistics">The aggregates, or null.</param>
/// <param name="Refusal">Why this region does not join (no file paths or cell values), or null.</param>
public sealed record StatisticsAnswer(LocalStatistics? Statistics, string? Refusal);
