using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Models;
using FederatedCare.NodeAgent.Training;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using TorchSharp;
using static TorchSharp.torch;

namespace FederatedCare.NodeAgent.Tests.Training;

/// <summary>
/// The "local" job mode: one fit task of FLamby's local baseline (Adam, lr 0.001, batch 4, E epochs). It must be
/// FLamby's training loop: one Adam optimizer for the whole run, a fresh shuffle every epoch, the last batch smaller.
/// </summary>
public sealed class LocalModeTests
{
    private static readonly ModelSpec Spec = FedAvgSimulation.LogisticRegression;

    [Fact]
    public void Epochs_of_Adam_through_a_fit_spec_equal_FLambys_loop_bit_for_bit()
    {
        var settings = TrainingSettings.From(new LocalTrainingSpec { Optimizer = LocalOptimizer.Adam, LearningRate = 0.001, BatchSize = 4, LocalEpochs = 3 });
        var data = TestData.Heart[2]; // Switzerland: 30 rows = 7 batches of 4 + 1 of 2 per epoch
        var zoo = new ModelZoo();
        var global = zoo.CreateInitial(Spec, 42, data.Width);
        var update = new LocalTrainer(zoo, TestData.Runtime).Train(data, Spec, global, settings, 42, 1, "Switzerland");
        Assert.Equal(3 * 8, update.Steps);
        Assert.Equal(Reference(zoo, data.Train, global, epochs: 3, ShuffleSeed.Derive(42, 1, "Switzerland")).ComputeSha256(),
            update.Delta.ComputeSha256());
    }

    // FLamby's train loop, written out: for each epoch, for each batch of DataLoader(shuffle=True): zero_grad,
    // loss, backward, step — one Adam throughout.
    private static ModelParameters Reference(ModelZoo zoo, TabularSplit train, ModelParameters global, int epochs, long seed)
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(train.Features, [train.Rows, train.Width]);
        var y = torch.tensor(train.Labels, [train.Rows, 1]);
        using var module = zoo.CreateWith(Spec, train.Width, global, torch.CPU);
        using var adam = torch.optim.Adam(module.parameters(), 0.001);
        using var generator = new torch.Generator((ulong)seed);
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var order = torch.randperm(train.Rows, generator: generator);
            for (int start = 0; start < train.Rows; start += 4)
            {
                var index = order.narrow(0, start, Math.Min(4, train.Rows - start));
                adam.zero_grad();
                var loss = nn.functional.binary_cross_entropy(module.forward(x.index_select(0, index)), y.index_select(0, index));
                loss.backward();
                adam.step();
            }
        }
        return ModelParameterMapper.Subtract(ModelParameterMapper.ToParameters(module), global);
    }
}
