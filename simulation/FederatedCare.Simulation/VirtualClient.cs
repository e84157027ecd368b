using System.Numerics.Tensors;
using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Simulation;

/// <summary>
/// One virtual region of a simulation, the in-process <see cref="IClientProxy"/>: it reads the task's models from the
/// engine's <see cref="ModelCache"/> (what a node downloads), trains the <see cref="Mlp"/> on its partition on the
/// thread pool (at most <see cref="VirtualClients.Parallelism"/> at a time) and submits the answer to the open round as
/// the coordinator's handlers would (updates through the round's <see cref="RoundAccumulator"/>). SCAFFOLD's client
/// control variate cᵢ is kept here between rounds, as a node keeps it; client-side DP clipping scales the delta to the
/// task's clipping norm before it is submitted. Model-sized arrays come from the <see cref="Mlp"/>'s reuse pool and go
/// back to it once the round has folded them (<see cref="UploadOutcome.KeepsCallerArrays"/>).
/// </summary>
internal sealed class VirtualClient(string region, Dataset data, Mlp mlp, SimulationOptions options, VirtualClients owner) : IClientProxy
{
    private ModelParameters? _control;

    public string Region { get; } = region;

    public Dataset Data { get; } = data;

    public void Initialize(NodeTask task, OpenRound round) =>
        _ = Upload(round, new ClientUpdate(Region, 0, mlp.Initial((int)task.Seed), new Dictionary<string, double>()));

    public void Fit(NodeTask task, OpenRound round) => owner.Schedule(() => Train(task, round));

    public void Evaluate(NodeTask task, OpenRound round) => owner.Schedule(() =>
    {
        var model = owner.Cache.Find(task.JobId, task.ModelSha256) ?? throw new InvalidOperationException($"model {task.ModelSha256} is not published.");
        var (loss, accuracy) = mlp.Evaluate(model, Data);
        var metrics = task.Evaluate.Splits.Select(split =>
            new RegionMetrics { Region = Region, Round = task.Round, Split = split, NumExamples = Data.Rows, Loss = loss, Accuracy = accuracy }).ToList();
        round.SubmitMetrics(Region, task.Evaluate.ModelLabel, metrics);
    });

    /// <summary>A virtual region holds no schema'd file: the simulator never runs a statistics phase.</summary>
    public void Statistics(NodeTask task, OpenRound round) =>
        round.SubmitStatistics(Region, new ReportStatisticsRequest { JobId = task.JobId, Refusal = "simulation clients have no dataset schema" });

    /// <summary>A virtual region holds no schema'd file: the simulator runs no analysis job.</summary>
    public void Analyze(NodeTask task, OpenRound round) =>
        round.SubmitAnalysis(Region, new ReportAnalysisRequest { JobId = task.JobId, Round = task.Round, Refusal = "simulation clients hold no data for analyses" });

    private void Train(NodeTask task, OpenRound round)
    {
        var fit = task.Fit;
        var global = owner.Cache.Find(task.JobId, task.ModelSha256) ?? throw new InvalidOperationException($"model {task.ModelSha256} is not published.");
        float mu = fit.Strategy.Parameters.TryGetValue(WireNames.Strategies.FedProxMu, out var m) ? (float)m : 0f;
        ModelParameters? server = fit.ServerControlSha256.Length > 0 ? owner.Cache.Find(task.JobId, fit.ServerControlSha256) : null;
        ModelParameters? correction = null;
        if (server is not null)
        {
            _control ??= server.ZerosLike();
            correction = mlp.Rent();
            for (int t = 0; t < correction.Tensors.Count; t++)
                TensorPrimitives.Subtract(server.Tensors[t].Values, _control.Tensors[t].Values, correction.Tensors[t].Values);
        }
        float lr = (float)options.LearningRate;
        var (delta, loss, steps) = mlp.Train(global, Data, options.LocalEpochs, options.BatchSize, lr, mu, SimulationSeeds.Client((int)task.Seed, task.Round, Region), correction);
        if (correction is not null) mlp.Recycle(correction);
        if (fit.ClippingNorm > 0) Clip(delta, fit.ClippingNorm);
        ModelParameters? controlDelta = null;
        if (server is not null)
        {
            // SCAFFOLD option II (Karimireddy et al. 2020, eq. 4): cᵢ⁺ − cᵢ = (x − y)/(K·η) − c.
            controlDelta = mlp.Rent();
            double scale = -1.0 / (Math.Max(1, steps) * (double)lr);
            for (int t = 0; t < controlDelta.Tensors.Count; t++)
            {
                var values = controlDelta.Tensors[t].Values;
                TensorPrimitives.Multiply(delta.Tensors[t].Values, (float)scale, values);
                TensorPrimitives.Subtract(values, server.Tensors[t].Values, values);
                TensorPrimitives.Add(_control!.Tensors[t].Values, values, _control.Tensors[t].Values);
            }
        }
        var metrics = new Dictionary<string, double> { [FitMetrics.TrainLoss] = loss };
        // Folded (past the round's budget) or not taken: the arrays are ours again and the next training reuses them,
        // so memory follows the budget and the parallelism, not the number of clients.
        if (!Upload(round, new ClientUpdate(Region, Data.Rows, delta, metrics, controlDelta)))
        {
            mlp.Recycle(delta);
            if (controlDelta is not null) mlp.Recycle(controlDelta);
        }
    }

    // What a node's UploadUpdate call does, in process: the round's accumulator checks, measures, clips and keeps or
    // folds the update. A refused update is a bug of the simulation, reported as the run's failure. Returns whether the
    // round keeps a reference to the update's arrays.
    private bool Upload(OpenRound round, ClientUpdate update)
    {
        var accumulator = round.Accumulator ?? throw new InvalidOperationException($"round {round.Round} takes no updates.");
        var outcome = accumulator.Receive(round, Region, update);
        if (outcome.Status == UploadStatus.Invalid)
            throw new InvalidOperationException($"the update of {Region} in round {round.Round} was refused: {outcome.Reason}");
        return outcome.KeepsCallerArrays;
    }

    private static void Clip(ModelParameters delta, double norm)
    {
        double factor = UpdateNorm.L2(delta) is var n && n > norm ? norm / n : 1;
        if (factor < 1) foreach (var t in delta.Tensors) TensorPrimitives.Multiply(t.Values, (float)factor, t.Values);
    }
}
