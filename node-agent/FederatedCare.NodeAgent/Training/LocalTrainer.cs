using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Models;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using TorchSharp;
using static TorchSharp.torch;

namespace FederatedCare.NodeAgent.Training;

/// <summary>
/// Local training of one round, FLamby-style (du Terrail et al., NeurIPS 2022): start from the global model, take
/// <see cref="TrainingSettings.LocalSteps"/> mini-batches (or whole epochs), cycling through freshly shuffled epochs
/// like a PyTorch <c>DataLoader(shuffle=True, drop_last=False)</c> with one optimizer for the whole call (so Adam's
/// moments carry across epochs, as in FLamby's local and pooled baselines), and return the difference to the global
/// model. The strategy's <see cref="LocalObjective"/> adds FedProx's proximal term or SCAFFOLD's gradient correction.
/// Shuffling uses torch's own generator (<c>randperm</c>) seeded by <see cref="ShuffleSeed"/>, so identical inputs
/// give bit-identical deltas. A Cox model's mini-batch loss is the partial likelihood of the batch's rows with the
/// batch's own risk sets (<see cref="CoxPartialLikelihoodLoss"/>); a batch at least as large as the training rows
/// gives the region's exact partial likelihood.
/// </summary>
public sealed class LocalTrainer(ModelZoo zoo, TorchRuntime runtime)
{
    /// <summary>Trains on <paramref name="data"/>'s training rows from <paramref name="global"/>.</summary>
    /// <param name="data">The local dataset.</param>
    /// <param name="spec">The job's model spec.</param>
    /// <param name="global">The global model the round starts from.</param>
    /// <param name="settings">Optimizer, learning rate, batch size, steps or epochs.</param>
    /// <param name="jobSeed">The job's seed.</param>
    /// <param name="round">The round (changes the shuffling).</param>
    /// <param name="region">This region (changes the shuffling).</param>
    /// <param name="objective">The strategy's additions to the loss or gradient; null for none.</param>
    /// <param name="cancellationToken">Checked between mini-batches.</param>
    /// <returns>The delta (local − global), the number of training rows, the mean mini-batch loss (the model's
    /// loss, without a proximal term) and the training accuracy (<see cref="TrainingAccuracy"/>).</returns>
    /// <exception cref="ModelSpecException">Unknown model or bad hyperparameter.</exception>
    /// <exception cref="InvalidDataException">The global model or the gradient correction does not fit the architecture.</exception>
    public LocalUpdate Train(LocalDataset data, ModelSpec spec, ModelParameters global, TrainingSettings settings,
        long jobSeed, int round, string region, LocalObjective? objective = null, CancellationToken cancellationToken = default) =>
        Train(data.Train, spec, global, settings, jobSeed, round, region, objective, cancellationToken, data.Shape);

    /// <summary>Trains on <paramref name="train"/> (e.g. several centres' rows pooled) from <paramref name="global"/>.</summary>
    /// <remarks>Parameters as the other overload; <c>shape</c> is the input width and label task (default: binary
    /// labels of <paramref name="train"/>'s width).</remarks>
    /// <inheritdoc cref="Train(LocalDataset, ModelSpec, ModelParameters, TrainingSettings, long, int, string, LocalObjective?, CancellationToken)"/>
#pragma warning disable CS1573 // the parameters are documented on the other overload
    public LocalUpdate Train(TabularSplit train, ModelSpec spec, ModelParameters global, TrainingSettings settings,
        long jobSeed, int round, string region, LocalObjective? objective = null, CancellationToken cancellationToken = default,
        DataShape? shape = null)
#pragma warning restore CS1573
    {
        objective ??= LocalObjective.None;
        var dataShape = shape ?? new DataShape(train.Width);
        int n = train.Rows;
        long steps = settings.StepsFor(n);
        double lossSum = 0;

        using (var scope = torch.NewDisposeScope())
        {
            var device = runtime.Device;
            var x = torch.tensor(train.Features, [n, train.Width], ScalarType.Float32, device);
            var y = torch.tensor(train.Labels, [n, 1], ScalarType.Float32, device);
            // A survival label's times: a mini-batch's partial likelihood uses the risk sets of the batch's own rows.
            var t = dataShape.Task == LabelTask.Survival ? torch.tensor(train.RequireTimes(), [n], ScalarType.Float64, device) : null;
            using var module = zoo.CreateWith(spec, dataShape, global, device);
            module.train();
            var parameters = module.parameters().ToArray();
            // FedProx's anchor (the global weights) and SCAFFOLD's c − cᵢ stay constant during the round.
            var anchor = objective.ProximalMu > 0 ? ModelParameterMapper.ToAlignedTensors(module, global, device) : null;
            var correction = objective.GradientCorrection is { } c ? ModelParameterMapper.ToAlignedTensors(module, c, device) : null;
            using var optimizer = CreateOptimizer(settings, module);
            // randperm runs on the CPU generator: the permutation is the same whatever the training device.
            using var generator = new torch.Generator((ulong)ShuffleSeed.Derive(jobSeed, round, region));
            using var accuracy = new TrainingAccuracy(dataShape.Task, device);

            // Each epoch gathers its shuffled rows once; a mini-batch is then a view (narrow), not a gather.
            Tensor? epochX = null, epochY = null, epochT = null;
            int position = n; // forces a shuffle before the first batch
            for (long step = 0; step < steps; step++)
            {
                if ((step & 15) == 0) cancellationToken.ThrowIfCancellationRequested();
                if (position >= n)
                {
                    epochX?.Dispose();
                    epochY?.Dispose();
                    epochT?.Dispose();
                    using var order = torch.randperm(n, generator: generator).to(device);
                    (epochX, epochY, epochT) = (x.index_select(0, order), y.index_select(0, order), t?.index_select(0, order));
                    position = 0;
                }
                int size = Math.Min(settings.BatchSize, n - position);
                using (torch.NewDisposeScope())
                {
                    optimizer.zero_grad();
                    var batchY = epochY!.narrow(0, position, size);
                    var output = module.forward(epochX!.narrow(0, position, size));
                    var loss = TaskLoss.Compute(dataShape.Task, output, batchY, epochT?.narrow(0, position, size));
                    accuracy.Add(output, batchY);
                    loss.backward();
                    if (anchor is not null) FedProx.AddProximalGradient(parameters, anchor, objective.ProximalMu);
                    if (correction is not null)
                        for (int k = 0; k < parameters.Length; k++) parameters[k].grad!.add_(correction[k]);
                    optimizer.step();
                    lossSum += loss.item<float>();
                }
                position += size;
            }
            epochX?.Dispose();
            epochY?.Dispose();
            epochT?.Dispose();
            var local = ModelParameterMapper.ToParameters(module);
            return new LocalUpdate(ModelParameterMapper.Subtract(local, global), n, steps, steps > 0 ? lossSum / steps : double.NaN,
                accuracy.Value);
        }
    }

    private static optim.Optimizer CreateOptimizer(TrainingSettings settings, nn.Module module) => settings.Optimizer switch
    {
        OptimizerKind.Adam => torch.optim.Adam(module.parameters(), settings.LearningRate),
        _ => torch.optim.SGD(module.parameters(), settings.LearningRate),
    };
}
