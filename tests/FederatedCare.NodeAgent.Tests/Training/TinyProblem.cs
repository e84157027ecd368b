using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Models;
using FederatedCare.NodeAgent.Training;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.NodeAgent.Tests.Training;

/// <summary>
/// A one-feature logistic regression on hand-written rows, small enough to compute every SGD step by hand:
/// for a row (x, y) the BCE gradient of sigmoid(w·x + b) is ((p − y)·x, p − y) with p = sigmoid(w·x + b).
/// </summary>
internal static class TinyProblem
{
    public static readonly ModelSpec Spec = new() { Name = "logistic_regression" };

    public static TabularSplit Rows(float[] x, float[] y) => new(x, y, 1, Enumerable.Range(0, x.Length).ToArray());

    public static ModelParameters Model(double w, double b) =>
        new([new NamedTensor("linear.weight", [1, 1], [(float)w]), new NamedTensor("linear.bias", [1], [(float)b])]);

    /// <summary>(w, b) of a model built by <see cref="Model"/>.</summary>
    public static (double W, double B) Values(ModelParameters m) => (m.Tensors[0].Values[0], m.Tensors[1].Values[0]);

    /// <summary>The gradient of the BCE loss of one row at (w, b).</summary>
    public static (double W, double B) Gradient(double w, double b, double x, double y)
    {
        double p = 1 / (1 + Math.Exp(-(w * x + b)));
        return ((p - y) * x, p - y);
    }

    /// <summary>Trains from <paramref name="start"/> with plain SGD, batch 1.</summary>
    public static LocalUpdate Sgd(TabularSplit rows, ModelParameters start, double lr, int steps, LocalObjective objective) =>
        new LocalTrainer(new ModelZoo(), TestData.Runtime)
            .Train(rows, Spec, start, new TrainingSettings(OptimizerKind.Sgd, lr, 1, steps, 0), 42, 1, "Tiny", objective);
}
