using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using TorchSharp;
using static TorchSharp.torch;

namespace FederatedCare.NodeAgent.Models;

/// <summary>
/// <c>cox</c>: <see cref="CoxLinearPredictor"/>, trained on the negative partial log-likelihood with Breslow ties
/// (<see cref="Training.CoxPartialLikelihoodLoss"/>) and evaluated by Harrell's C. Survival labels only.
/// Hyperparameter <c>in_features</c> (checked against the schema's encoded width).
/// </summary>
public sealed class CoxDefinition : IModelDefinition
{
    /// <inheritdoc />
    public string Name => ModelCatalog.Cox.Name;

    /// <inheritdoc />
    public IReadOnlyList<string> Hyperparameters => ModelCatalog.Cox.Hyperparameters;

    /// <inheritdoc />
    public nn.Module<Tensor, Tensor> Create(ModelSpec spec, DataShape shape)
    {
        shape.Require(Name, LabelTask.Survival);
        return new CoxLinearPredictor(shape.CheckInputWidth(spec));
    }
}
