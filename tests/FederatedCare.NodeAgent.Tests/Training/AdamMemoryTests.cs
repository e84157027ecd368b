using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Models;
using FederatedCare.NodeAgent.Training;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.NodeAgent.Tests.Training;

/// <summary>
/// Training memory follows the model, not the number of steps. Adam's step frees a few model-sized temporaries
/// (TorchSharp's managed Adam); with glibc's default, self-raising mmap threshold those large aligned blocks came from
/// the heap and were not reused, so an agent's resident memory grew by about one model per step (a 16×1024 MLP: 47 MB
/// a step, 4 GB after 80 steps; this 4×1024 MLP: 845 MiB over 100 steps, 107 MiB with the fix).
/// <see cref="TorchRuntime"/> fixes the threshold (<see cref="NativeHeap"/>).
/// </summary>
public sealed class AdamMemoryTests
{
    [Fact]
    public void A_hundred_adam_steps_of_a_4x1024_mlp_raise_the_peak_memory_by_far_less_than_the_steps_would_pile_up()
    {
        const int n = 200, width = 13, steps = 100;
        var random = new Random(5);
        var features = new float[n * width];
        for (int i = 0; i < features.Length; i++) features[i] = (float)random.NextDouble();
        var labels = Enumerable.Range(0, n).Select(i => (float)(i % 2)).ToArray();
        var rows = new TabularSplit(features, labels, width, new int[n]);
        var spec = new ModelSpec { Name = "mlp", Hyperparameters = { [ModelCatalog.Keys.HiddenSizes] = "1024,1024,1024,1024" } };
        var zoo = new ModelZoo();
        var model = zoo.CreateInitial(spec, 7, width);
        var trainer = new LocalTrainer(zoo, TestData.Runtime);

        Assert.True(NativeHeap.FixMmapThreshold(), "this test needs glibc (mallopt)");
        long before = PeakMemory.ResetAndReadCurrent();
        var update = trainer.Train(rows, spec, model, new TrainingSettings(OptimizerKind.Adam, 0.001, 64, steps, 0), 1, 1, "Adam");
        long growth = PeakMemory.Peak() - before;

        Assert.Equal(steps, update.Steps);
        Assert.True(growth < 384L << 20, $"peak resident memory grew by {growth >> 20} MiB over {steps} steps");
    }
}
