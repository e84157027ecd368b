using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Models;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using TorchSharp;
using static TorchSharp.torch;

namespace FederatedCare.NodeAgent.Training;

/// <summary>
/// Federated evaluation: a model's mean loss, accuracy (threshold 0.5) and ROC AUC (<see cref="RocAuc"/>, from the
/// model's output as the score) on one split of the local data, in one forward pass without gradients. FLamby's
/// metric for Fed-Heart-Disease is this test accuracy.
/// </summary>
public sealed class Evaluator(ModelZoo zoo, TorchRuntime runtime)
{
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

        var definition = zoo.Get(spec.Name);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        using var module = zoo.CreateWith(spec, data.Width, model, runtime.Device);
        module.eval();
        var x = torch.tensor(rows.Features, [rows.Rows, rows.Width], ScalarType.Float32, runtime.Device);
        var y = torch.tensor(rows.Labels, [rows.Rows, 1], ScalarType.Float32, runtime.Device);
        var output = module.forward(x);
        double loss = definition.Loss(output, y).item<float>();
        double accuracy = (double)definition.CountCorrect(output, y).item<long>() / rows.Rows;
        // One score per row (a binary model's probability); other output shapes have no ROC curve.
        double? auc = output.numel() == rows.Rows
            ? RocAuc.Compute(output.to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray(), rows.Labels)
            : null;
        return new Evaluation(split, rows.Rows, loss, accuracy, auc);
    }
}
