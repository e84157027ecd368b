using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Models;
using FederatedCare.NodeAgent.Training;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.NodeAgent.Tests.Training;

/// <summary>
/// Evaluation runs its forward passes <see cref="Evaluator.BatchRows"/> rows at a time: the metrics are those of all
/// rows at once, and memory does not grow with the number of rows.
/// </summary>
public sealed class EvaluatorBatchingTests
{
    private static readonly ModelZoo Zoo = new();

    private static LocalDataset WithTest(LocalDataset data, TabularSplit test) => data with { Test = test };

    [Fact]
    public void Batches_are_stitched_back_in_row_order_so_the_metrics_are_those_of_all_rows()
    {
        // 15 copies of Cleveland's 199 training rows: 2 985 rows, batch borders inside copies. Any batch out of place
        // would pair outputs with other rows' labels and change accuracy and AUC.
        var data = TestData.Heart[0];
        var rows = data.Train;
        var copies = new TabularSplit([.. Enumerable.Repeat(rows.Features, 15).SelectMany(f => f)],
            [.. Enumerable.Repeat(rows.Labels, 15).SelectMany(l => l)], rows.Width, [.. Enumerable.Range(0, rows.Rows * 15)]);
        Assert.True(copies.Rows > 2 * Evaluator.BatchRows);
        var spec = new ModelSpec { Name = "mlp", Hyperparameters = { [ModelCatalog.Keys.HiddenSizes] = "8" } };
        var model = Zoo.CreateInitial(spec, 7, data.Width);
        var evaluator = new Evaluator(Zoo, TestData.Runtime);

        var once = evaluator.Evaluate(WithTest(data, rows), spec, model);
        var batched = evaluator.Evaluate(WithTest(data, copies), spec, model);

        Assert.Equal(copies.Rows, batched.NumExamples);
        Assert.Equal(once.Accuracy, batched.Accuracy, 12);
        Assert.Equal(once.Loss, batched.Loss, 5);
        Assert.Equal(once.Auc!.Value, batched.Auc!.Value, 12);
    }

    [Fact]
    public void Evaluating_120_000_rows_through_a_2x1024_mlp_raises_the_peak_memory_by_far_less_than_a_gigabyte()
    {
        // In one pass each of the four activations would hold 120 000 × 1024 floats (490 MB): about 2 GB.
        const int n = 120_000, width = 13;
        var random = new Random(3);
        var features = new float[n * width];
        for (int i = 0; i < features.Length; i++) features[i] = (float)random.NextDouble();
        var labels = Enumerable.Range(0, n).Select(i => (float)(i % 2)).ToArray();
        var data = WithTest(TestData.Heart[0], new TabularSplit(features, labels, width, new int[n]));
        var spec = new ModelSpec { Name = "mlp", Hyperparameters = { [ModelCatalog.Keys.HiddenSizes] = "1024,1024" } };
        var model = Zoo.CreateInitial(spec, 7, width);

        long before = PeakMemory.ResetAndReadCurrent();
        var result = new Evaluator(Zoo, TestData.Runtime).Evaluate(data, spec, model);
        long growth = PeakMemory.Peak() - before;

        Assert.Equal(n, result.NumExamples);
        Assert.True(growth < 512L << 20, $"peak resident memory grew by {growth >> 20} MiB");
    }
}
