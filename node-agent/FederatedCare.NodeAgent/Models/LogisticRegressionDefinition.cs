using FederatedCare.Protos.V1;
using TorchSharp;
using static TorchSharp.torch;

namespace FederatedCare.NodeAgent.Models;

/// <summary>
/// <c>logistic_regression</c>: <see cref="LogisticRegression"/> with binary cross-entropy loss and accuracy at
/// threshold 0.5. Hyperparameter <c>in_features</c> (default: the dataset's width, 13 for heart disease).
/// </summary>
public sealed class LogisticRegressionDefinition : IModelDefinition
{
    /// <inheritdoc />
    public string Name => "logistic_regression";

    /// <inheritdoc />
    public nn.Module<Tensor, Tensor> Create(ModelSpec spec, int inputWidth)
    {
        int inFeatures = Hyperparameters.GetInt(spec, "in_features", inputWidth);
        if (inFeatures != inputWidth)
            throw new ModelSpecException($"Model in_features={inFeatures} but the local dataset has {inputWidth} features.");
        return new LogisticRegression(inFeatures);
    }

    /// <inheritdoc />
    public Tensor Loss(Tensor output, Tensor target) => nn.functional.binary_cross_entropy(output, target);

    /// <inheritdoc />
    public Tensor CountCorrect(Tensor output, Tensor target) => output.gt(0.5).eq(target.gt(0.5)).sum();
}
