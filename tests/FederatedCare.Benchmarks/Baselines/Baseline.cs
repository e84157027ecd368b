using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Models;
using FederatedCare.NodeAgent.Training;
using FederatedCare.Protos.V1;

namespace FederatedCare.Benchmarks.Baselines;

/// <summary>
/// FLamby's non-federated baselines on Fed-Heart-Disease (du Terrail et al., NeurIPS 2022): train one logistic
/// regression on some centres' training rows — all four concatenated (pooled) or one alone (local) — then report
/// its accuracy and ROC AUC on each centre's test rows. Uses the node agent's model zoo, trainer and evaluator, so
/// the figures compare directly with federated jobs.
/// </summary>
public sealed class Baseline(ModelZoo zoo, TorchRuntime runtime)
{
    /// <summary>The model every baseline trains.</summary>
    public static readonly ModelSpec LogisticRegression = new() { Name = "logistic_regression" };

    /// <summary>
    /// Trains on <paramref name="train"/> with Adam for <see cref="BaselineSettings.Epochs"/> epochs from the seeded
    /// initial model and evaluates the result on each test set.
    /// </summary>
    /// <param name="train">The training rows.</param>
    /// <param name="testSets">Centres whose test rows are evaluated, in output order.</param>
    /// <param name="settings">Seed, epochs, learning rate, batch size, shuffle region and round.</param>
    /// <returns>One evaluation per test set, in order.</returns>
    /// <exception cref="ArgumentException">A non-positive learning rate, batch size or epoch count.</exception>
    public IReadOnlyList<(HeartCentre Centre, Evaluation Result)> Run(TabularSplit train,
        IReadOnlyList<(HeartCentre Centre, LocalDataset Data)> testSets, BaselineSettings settings)
    {
        var training = TrainingSettings.From(new LocalTrainingSpec
        {
            Optimizer = LocalOptimizer.Adam,
            LearningRate = settings.LearningRate,
            BatchSize = settings.BatchSize,
            LocalEpochs = settings.Epochs,
        });
        var initial = zoo.CreateInitial(LogisticRegression, settings.Seed, train.Width);
        var update = new LocalTrainer(zoo, runtime).Train(train, LogisticRegression, initial, training, settings.Seed, settings.Round, settings.Region);
        var model = ModelParameterMapper.Add(initial, update.Delta);
        var evaluator = new Evaluator(zoo, runtime);
        return testSets.Select(t => (t.Centre, evaluator.Evaluate(t.Data, LogisticRegression, model))).ToList();
    }

    /// <summary>
    /// The training rows of <paramref name="datasets"/> as loaded (each z-scored by its own centre), concatenated in
    /// the given order: <see cref="PooledScaling.PerCentre"/>. FLamby's pooled baseline is
    /// <see cref="PooledTraining.Load"/> with <see cref="PooledScaling.Pooled"/>.
    /// </summary>
    public static TabularSplit ConcatTraining(IReadOnlyList<LocalDataset> datasets) => new(
        datasets.SelectMany(d => d.Train.Features).ToArray(),
        datasets.SelectMany(d => d.Train.Labels).ToArray(),
        datasets[0].Width,
        datasets.SelectMany(d => d.Train.SourceLines).ToArray());
}
