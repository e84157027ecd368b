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

    /// <summary>Constructs a freshly initialised module (its initialisation draws from torch's global generator).</summary>
    /// <param name="spec">The job's model spec (hyperparameters as strings).</param>
    /// <param name="inputWidth">Features per row of the local dataset; the default input width.</param>
    /// <exception cref="ModelSpecException">A hyperparameter is malformed or does not fit the data.</exception>
    nn.Module<Tensor, Tensor> Create(ModelSpec spec, int inputWidth);

    /// <summary>The training loss (mean over the batch) of the module's output against the targets.</summary>
    Tensor Loss(Tensor output, Tensor target);

    /// <summary>
    /// How many predictions in <paramref name="output"/> match <paramref name="target"/>, as an int64 scalar tensor
    /// (a count, so that accuracy can be computed in double precision).
    /// </summary>
    Tensor CountCorrect(Tensor output, Tensor target);
}
