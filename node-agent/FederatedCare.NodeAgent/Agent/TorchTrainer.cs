using FederatedCare.Node.Sdk;
using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Models;
using FederatedCare.NodeAgent.Options;
using FederatedCare.NodeAgent.Training;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FederatedCare.NodeAgent.Agent;

/// <summary>
/// The agent's <see cref="INodeTrainer"/>, on TorchSharp: the job's dataset (<see cref="JobDatasets"/>), the model
/// zoo, <see cref="LocalTrainer"/> with the strategy's local objective (FedProx's proximal term; SCAFFOLD's gradient
/// correction as the SDK's fit mod asks) and <see cref="Evaluator"/>. Downloads, uploads, clipping and SCAFFOLD state
/// are the SDK's (<see cref="TrainerTaskHandler"/>).
/// </summary>
public sealed class TorchTrainer(
    JobDatasets datasets,
    ModelZoo zoo,
    LocalTrainer trainer,
    Evaluator evaluator,
    IOptions<NodeAgentOptions> options,
    ILogger<TorchTrainer> logger) : INodeTrainer
{
    private readonly string _region = options.Value.Region;

    /// <inheritdoc />
    /// <exception cref="ModelSpecException">The model does not fit the dataset.</exception>
    /// <exception cref="DataFileException">The dataset is not configured here or is malformed.</exception>
    public InitialModel Initialize(NodeTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var data = datasets.Get(task);
        return new InitialModel(zoo.CreateInitial(task.Model ?? new ModelSpec(), task.Seed, data.Shape), data.Train.Rows);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The local-training spec is invalid.</exception>
    public FitResult Fit(FitRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var task = request.Task;
        var settings = TrainingSettings.From(task.Fit.Local);
        var data = datasets.Get(task);
        var strategy = task.Fit.Strategy ?? new StrategySpec();
        // Other strategies (fedavg, cyclic, fedadam, ...) act on the server only: plain local training.
        var objective = (strategy.Name ?? "").Trim().ToLowerInvariant() == FedProx.Name
            ? new LocalObjective(ProximalMu: FedProx.MuOf(strategy))
            : request.GradientCorrection is { } correction ? new LocalObjective(GradientCorrection: correction) : LocalObjective.None;
        var update = trainer.Train(data, task.Model ?? new ModelSpec(), request.Global, settings, task.Seed, task.Round, _region, objective, cancellationToken);
        return new FitResult(update.Delta, update.NumExamples, update.Steps, update.TrainLoss, update.Metrics);
    }

    /// <inheritdoc />
    public IReadOnlyList<RegionMetrics> Evaluate(NodeTask task, ModelParameters model, IReadOnlyList<string> splits)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(splits);
        var data = datasets.Get(task);
        var results = splits.Select(split => evaluator.Evaluate(data, task.Model ?? new ModelSpec(), model, split)).ToList();
        return EvaluationReport.Build(task, _region, results).Metrics;
    }

    /// <summary>
    /// Checks the file against the job's schema and the model against the encoded width, then answers with the
    /// aggregates the schema allows — or refuses, with the reason (the coordinator gets no folder and no cell value;
    /// the region's log and profile keep the full message).
    /// </summary>
    public StatisticsAnswer Statistics(NodeTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            LocalStatistics statistics;
            if (task.Schema is null || !datasets.IsTabular(task.Dataset))
            {
                // A fixed-format dataset: only its row count.
                var data = datasets.Get(task);
                if (task.Schema?.Normalization?.Kind == NormalizationKind.ZscoreFederated)
                    throw new ArgumentException($"dataset '{task.Dataset}' has a fixed format and cannot normalise with federated statistics.");
                statistics = new LocalStatistics { TrainRows = data.Train.Rows };
            }
            else
            {
                var prepared = datasets.Prepare(task);
                var width = prepared.Statistics.Columns.Count > 0 ? prepared.Statistics.Columns.Count : prepared.Data!.Width;
                int classes = task.Schema.Label.Task == LabelTask.Multiclass ? task.Schema.Label.Levels.Count : task.Schema.Label.Task == LabelTask.Regression ? 1 : 2;
                zoo.Check(task.Model ?? new ModelSpec(), new DataShape(width, task.Schema.Label.Task, classes));
                statistics = prepared.Statistics;
            }
            if (statistics.TrainRows < datasets.MinRows(task.Dataset))
                throw new ArgumentException($"only {statistics.TrainRows} training rows, fewer than the {datasets.MinRows(task.Dataset)} this region requires (MinRows).");
            AgentLog.StatisticsReported(logger, task.JobId, statistics.TrainRows, statistics.Columns.Count);
            return new StatisticsAnswer(statistics, null);
        }
        catch (Exception e) when (e is ModelSpecException or ArgumentException or InvalidDataException or DataFileException)
        {
            // The coordinator gets no folder and no cell value; the region's log and profile keep the full message.
            datasets.WriteRefusal(task, e.Message);
            AgentLog.JobRefused(logger, task.JobId, e.Message);
            return new StatisticsAnswer(null, e is DataFileException data ? data.ForCoordinator() : e.Message);
        }
    }
}
