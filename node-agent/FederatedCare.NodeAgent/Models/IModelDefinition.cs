using FederatedCare.Protos.V1;
using TorchSharp;
using static TorchSharp.torch;

namespace FederatedCare.NodeAgent.Models;

/// <summary>
/// One architecture of the model zoo, named as in <see cref="ModelSpec.Name"/>. The module's
/// <c>named_parameters()</c> names are the tensor names on the wire.
/// </summary>
public interface IModelDefinition
{
    /// <summary>The name jobs use, e.g. <c>logistic_regression</c>.</summary>
    string Name { get; }

    /// <summary>
    /// The hyperparameter keys it takes (<see cref="FederatedCare.Protos.Wire.ModelCatalog"/> for the built-in models);
    /// the zoo refuses a spec with any other key.
    /// </summary>
    IReadOnlyList<string> Hyperparameters { get; }

    /// <summary>Constructs a freshly initialised module (its initialisation draws from torch's global generator).</summary>
    /// <param name="spec">The job's model spec (hyperparameters as strings).</param>
    /// <param name="shape">The local dataset's encoded input width and label task; outputs follow the task
    /// (binary: one probability; multi-class: one logit per class; regression: one value).</param>
    /// <exception cref="ModelSpecException">A hyperparameter is malformed, or the model does not fit the data
    /// (input width, or a task it cannot learn).</exception>
    nn.Module<Tensor, Tensor> Create(ModelSpec spec, DataShape shape);
}
