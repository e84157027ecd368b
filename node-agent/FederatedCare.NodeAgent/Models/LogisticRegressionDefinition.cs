using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
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
    public string Name => ModelCatalog.LogisticRegression.Name;

    /// <inheritdoc />
    public IReadOnlyList<string> Hyperparameters => ModelCatalog.LogisticRegression.Hyperparameters;

    /// <inheritdoc />
    public nn.Module<Tensor, Tensor> Create(ModelSpec spec, DataShape shape)
    {
        shape.Require(Name, LabelTask.Binary);
        return new LogisticRegression(shape.CheckInputWidth(spec));
    }
}
