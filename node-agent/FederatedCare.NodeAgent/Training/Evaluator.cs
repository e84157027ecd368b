using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Models;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using TorchSharp;
using static TorchSharp.torch;

namespace FederatedCare.NodeAgent.Training;

/// <summary>
/// Federated evaluation: a model's mean loss, accuracy (threshold 0.5) and ROC AUC (<see cref="RocAuc"/>, from the
/// model's output as the score) on one split of the local data, without gradients (the other tasks' metrics:
/// <see cref="TaskMetrics"/>). FLamby's metric for Fed-Heart-Disease is this test accuracy. A survival model's loss is
/// the negative partial log-likelihood with the split's own risk sets. The forward passes run
/// <see cref="BatchRows"/> rows at a time, each batch's activations freed before the next, so memory follows the
/// model's width, not the number of rows (200 000 rows through a 16×1024 MLP once took 24 GB in one pass); the
/// metrics are then computed once on all outputs, as before.
/// </summary>
public sealed class Evaluator(ModelZoo zoo, TorchRuntime runtime)
{
    /// <summary>Rows per forward pass.</summary>
    public const int BatchRows = 1024;

    /// <summary>Evaluates <paramref name="model"/> on <paramref name="split"/> (<c>test</c> or <c>train</c>).</summary>
    /// <exception cref="ArgumentException">Unknown split.</exception>
    /// <exception cref="ModelSpecException">Unknown model or bad hyperparameter.</exception>
    /// <exception cref="InvalidDataException">The model does not fit the architecture.</exception>
    public Evaluation Evaluate(LocalDataset data, ModelSpec spec, ModelParameters model, string split = "test")
    {
        var rows = split switch
        {
            "test" => data.Test,
            "train" => data.Train,
            _ => throw new ArgumentException($"Unknown split '{split}'; use test or train.", nameof(split)),
        };
        if (rows.Rows == 0) return new Evaluation(split, 0, double.NaN, double.NaN, null);

        var shape = data.Shape;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        using var module = zoo.CreateWith(spec, shape, model, runtime.Device);
        module.eval();
        var values = Forward(module, rows);
        var output = torch.tensor(values, [rows.Rows, values.Length / rows.Rows], ScalarType.Float32, runtime.Device);
        var y = torch.tensor(rows.Labels, [rows.Rows, 1], ScalarType.Float32, runtime.Device);
        var times = shape.Task == LabelTask.Survival ? rows.RequireTimes() : null;
        var t = times is null ? null : torch.tensor(times, [rows.Rows], ScalarType.Float64, runtime.Device);
        double loss = TaskLoss.Compute(shape.Task, output, y, t).item<float>();
        return shape.Task switch
        {
            LabelTask.Multiclass => TaskMetrics.MultiClass(split, values, rows.Labels, shape.Classes, loss),
            LabelTask.Regression => TaskMetrics.Regression(split, values, rows.Labels, loss),
            LabelTask.Survival => TaskMetrics.Survival(split, values, rows.Labels, times!, loss),
            _ => TaskMetrics.Binary(split, values, rows.Labels, loss,
                (double)output.gt(0.5).eq(y.gt(0.5)).sum().item<long>() / rows.Rows),
        };
    }

    // The model's outputs for every row (row-major, rows × outputs), BatchRows rows per forward pass.
    private float[] Forward(torch.nn.Module<Tensor, Tensor> module, TabularSplit rows)
    {
        float[]? values = null;
        int outputs = 0;
        for (int start = 0; start < rows.Rows; start += BatchRows)
        {
            int count = Math.Min(BatchRows, rows.Rows - start);
            using var batch = torch.NewDisposeScope();
            var x = torch.tensor(rows.Features.AsSpan(start * rows.Width, count * rows.Width).ToArray(), [count, rows.Width],
                ScalarType.Float32, runtime.Device);
            var output = module.forward(x).to(ScalarType.Float32).cpu().contiguous();
            if (values is null)
            {
                outputs = (int)(output.NumberOfElements / count);
                values = new float[(long)rows.Rows * outputs];
            }
            Array.Copy(output.data<float>().ToArray(), 0, values, (long)start * outputs, (long)count * outputs);
        }
        return values!;
    }
}
