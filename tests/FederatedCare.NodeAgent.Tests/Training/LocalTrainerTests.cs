using FederatedCare.NodeAgent.Models;
using FederatedCare.NodeAgent.Training;
using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Tests.Training;

public sealed class LocalTrainerTests
{
    private static readonly ModelSpec Spec = FedAvgSimulation.LogisticRegression;
    private static readonly TrainingSettings Sgd = new(OptimizerKind.Sgd, 0.001, 4, 100, 0);

    private readonly ModelZoo _zoo = new();
    private LocalTrainer Trainer => new(_zoo, TestData.Runtime);

    [Fact]
    public void Same_inputs_give_a_bit_identical_delta()
    {
        var data = TestData.Heart[0];
        var global = _zoo.CreateInitial(Spec, 42, data.Width);
        var a = Trainer.Train(data, Spec, global, Sgd, 42, 3, "Cleveland");
        var b = Trainer.Train(data, Spec, global, Sgd, 42, 3, "Cleveland");
        Assert.Equal(a.Delta.ComputeSha256(), b.Delta.ComputeSha256());
        Assert.Equal(a.TrainLoss, b.TrainLoss);
        Assert.Equal(199, a.NumExamples);
        Assert.Equal(100, a.Steps);
    }

    [Fact]
    public void Another_round_or_region_shuffles_differently()
    {
        var data = TestData.Heart[0];
        var global = _zoo.CreateInitial(Spec, 42, data.Width);
        var baseline = Trainer.Train(data, Spec, global, Sgd, 42, 3, "Cleveland").Delta.ComputeSha256();
        Assert.NotEqual(baseline, Trainer.Train(data, Spec, global, Sgd, 42, 4, "Cleveland").Delta.ComputeSha256());
        Assert.NotEqual(baseline, Trainer.Train(data, Spec, global, Sgd, 42, 3, "Halland").Delta.ComputeSha256());
        Assert.NotEqual(baseline, Trainer.Train(data, Spec, global, Sgd, 43, 3, "Cleveland").Delta.ComputeSha256());
    }

    [Fact]
    public void The_delta_has_the_global_models_names_and_shapes_and_training_lowers_the_loss()
    {
        var data = TestData.Heart[1];
        var global = _zoo.CreateInitial(Spec, 42, data.Width);
        var evaluator = new Evaluator(_zoo, TestData.Runtime);
        var before = evaluator.Evaluate(data, Spec, global, "train");
        var update = Trainer.Train(data, Spec, global, new TrainingSettings(OptimizerKind.Adam, 0.01, 8, 0, 5), 42, 1, "Hungary");
        Assert.Equal(global.Tensors.Select(t => (t.Name, string.Join(",", t.Shape))), update.Delta.Tensors.Select(t => (t.Name, string.Join(",", t.Shape))));
        Assert.Equal(5 * 22, update.Steps); // 5 epochs of ceil(172 / 8) batches
        var local = FedAvgSimulation.Apply(global, [update]);
        var after = evaluator.Evaluate(data, Spec, local, "train");
        Assert.True(after.Loss < before.Loss, $"loss {before.Loss} -> {after.Loss}");
        Assert.Contains(update.Delta.Tensors.SelectMany(t => t.Values), v => v != 0);
    }

    [Fact]
    public void Training_accuracy_counts_the_rows_the_model_classified_correctly_while_it_trained()
    {
        // Learning rate 0 and one batch of every row: the model never changes, so the training accuracy is exactly
        // the unchanged model's accuracy on the training rows, and it goes out with the update as train_accuracy.
        var data = TestData.Heart[0];
        var global = _zoo.CreateInitial(Spec, 42, data.Width);
        var frozen = new TrainingSettings(OptimizerKind.Sgd, 0, data.Train.Rows, 0, 1);
        var update = Trainer.Train(data, Spec, global, frozen, 42, 1, "Cleveland");
        var expected = new Evaluator(_zoo, TestData.Runtime).Evaluate(data, Spec, global, "train").Accuracy;
        Assert.Equal(expected, update.TrainAccuracy!.Value, 12);
        Assert.Equal(expected, update.Metrics[WireNames.FitMetrics.TrainAccuracy], 12);
    }

    [Fact]
    public void Evaluation_reports_test_rows_loss_and_accuracy()
    {
        var data = TestData.Heart[3];
        var global = _zoo.CreateInitial(Spec, 42, data.Width);
        var result = new Evaluator(_zoo, TestData.Runtime).Evaluate(data, Spec, global);
        Assert.Equal("test", result.Split);
        Assert.Equal(45, result.NumExamples);
        Assert.InRange(result.Accuracy, 0, 1);
        Assert.True(result.Loss > 0);
        // Accuracy is a count over the rows, computed exactly.
        Assert.Equal(Math.Round(result.Accuracy * 45), result.Accuracy * 45, 9);
    }

    [Theory]
    [InlineData((LocalOptimizer)7, 0.1, 4, 10, 0)]
    [InlineData(LocalOptimizer.Sgd, 0, 4, 10, 0)]
    [InlineData(LocalOptimizer.Sgd, 0.1, 0, 10, 0)]
    [InlineData(LocalOptimizer.Sgd, 0.1, 4, 0, 0)]
    public void Bad_training_specs_are_refused(LocalOptimizer optimizer, double lr, int batch, int steps, int epochs) =>
        Assert.Throws<ArgumentException>(() => TrainingSettings.From(new LocalTrainingSpec
        {
            Optimizer = optimizer, LearningRate = lr, BatchSize = batch, LocalSteps = steps, LocalEpochs = epochs,
        }));
}
