using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Training;

/// <summary>Optimizers local training supports.</summary>
public enum OptimizerKind
{
    /// <summary>Plain SGD, no momentum, no weight decay.</summary>
    Sgd,

    /// <summary>Adam with PyTorch's defaults (β 0.9/0.999, ε 1e-8).</summary>
    Adam,
}

/// <summary>
/// Validated local-training settings of one fit task. Either <see cref="LocalSteps"/> mini-batches (when &gt; 0) or
/// <see cref="LocalEpochs"/> passes over the training rows.
/// </summary>
/// <param name="Optimizer">SGD or Adam.</param>
/// <param name="LearningRate">Step size (&gt; 0).</param>
/// <param name="BatchSize">Rows per mini-batch (&gt; 0); an epoch's last batch may be smaller.</param>
/// <param name="LocalSteps">Mini-batches per round; 0 to use epochs.</param>
/// <param name="LocalEpochs">Epochs per round when <paramref name="LocalSteps"/> is 0.</param>
public sealed record TrainingSettings(OptimizerKind Optimizer, double LearningRate, int BatchSize, int LocalSteps, int LocalEpochs)
{
    /// <summary>Reads and validates a <see cref="LocalTrainingSpec"/>.</summary>
    /// <exception cref="ArgumentException">Unknown optimizer, non-positive rate or batch size, or neither steps nor epochs.</exception>
    public static TrainingSettings From(LocalTrainingSpec? spec)
    {
        if (spec is null) throw new ArgumentException("The fit task has no local training spec.");
        var optimizer = spec.Optimizer switch
        {
            LocalOptimizer.Sgd => OptimizerKind.Sgd,
            LocalOptimizer.Adam => OptimizerKind.Adam,
            var other => throw new ArgumentException(ProtoEnums.NotOneOf("optimizer", other)),
        };
        if (!(spec.LearningRate > 0) || !double.IsFinite(spec.LearningRate))
            throw new ArgumentException($"learning_rate must be positive (was {spec.LearningRate}).");
        if (spec.BatchSize <= 0) throw new ArgumentException($"batch_size must be positive (was {spec.BatchSize}).");
        if (spec.LocalSteps < 0 || spec.LocalEpochs < 0 || (spec.LocalSteps == 0 && spec.LocalEpochs == 0))
            throw new ArgumentException($"Set local_steps or local_epochs to a positive number (were {spec.LocalSteps} and {spec.LocalEpochs}).");
        return new TrainingSettings(optimizer, spec.LearningRate, spec.BatchSize, spec.LocalSteps, spec.LocalEpochs);
    }

    /// <summary>Mini-batches in one round on <paramref name="rows"/> training rows.</summary>
    public long StepsFor(int rows) =>
        LocalSteps > 0 ? LocalSteps : (long)LocalEpochs * ((rows + BatchSize - 1) / BatchSize);
}
