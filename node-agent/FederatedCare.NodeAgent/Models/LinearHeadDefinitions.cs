using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FederatedCare.NodeAgent.Models;

/// <summary>
/// One linear layer <c>Linear(in_features, outputs)</c> without an activation: the logits of multinomial logistic
/// regression or the value of linear regression. Parameters <c>linear.weight</c> [outputs, in], <c>linear.bias</c> [outputs].
/// </summary>
public sealed class LinearHead : nn.Module<Tensor, Tensor>
{
    // The field name is the parameter prefix on the wire ("linear.weight"); keep it.
    private readonly Linear linear;

    /// <summary>Creates the module with freshly initialised parameters (PyTorch's initialisation).</summary>
    public LinearHead(int inFeatures, int outputs) : base(nameof(LinearHead))
    {
        linear = nn.Linear(inFeatures, outputs);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => linear.forward(input);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) linear.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>
/// <c>multinomial_logistic_regression</c>: <see cref="LinearHead"/> with one logit per class, trained with softmax
/// cross-entropy. Multi-class labels only. Hyperparameters <c>in_features</c>, <c>num_classes</c> (checked against the schema).
/// </summary>
public sealed class MultinomialLogisticRegressionDefinition : IModelDefinition
{
    /// <inheritdoc />
    public string Name => ModelCatalog.MultinomialLogisticRegression.Name;

    /// <inheritdoc />
    public IReadOnlyList<string> Hyperparameters => ModelCatalog.MultinomialLogisticRegression.Hyperparameters;

    /// <inheritdoc />
    public nn.Module<Tensor, Tensor> Create(ModelSpec spec, DataShape shape)
    {
        shape.Require(Name, LabelTask.Multiclass);
        int classes = Models.Hyperparameters.GetInt(spec, ModelCatalog.Keys.NumClasses, shape.Classes);
        if (classes != shape.Classes)
            throw new ModelSpecException($"Model {Name} has num_classes={classes} but the schema's label has {shape.Classes} classes.");
        return new LinearHead(shape.CheckInputWidth(spec), classes);
    }
}

/// <summary><c>linear_regression</c>: <see cref="LinearHead"/> with one output, trained with mean squared error. Regression labels only.</summary>
public sealed class LinearRegressionDefinition : IModelDefinition
{
    /// <inheritdoc />
    public string Name => ModelCatalog.LinearRegression.Name;

    /// <inheritdoc />
    public IReadOnlyList<string> Hyperparameters => ModelCatalog.LinearRegression.Hyperparameters;

    /// <inheritdoc />
    public nn.Module<Tensor, Tensor> Create(ModelSpec spec, DataShape shape)
    {
        shape.Require(Name, LabelTask.Regression);
        return new LinearHead(shape.CheckInputWidth(spec), 1);
    }
}
