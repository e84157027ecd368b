using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FederatedCare.NodeAgent.Models;

/// <summary>
/// Logistic regression as FLamby's Fed-Heart-Disease baseline: <c>sigmoid(Linear(in_features, 1)(x))</c>.
/// Input [N, in_features] → probabilities [N, 1]. Parameters: <c>linear.weight</c> [1, in_features],
/// <c>linear.bias</c> [1]. TorchSharp's Linear initialises like PyTorch's (Kaiming-uniform weight, uniform bias
/// in ±1/√in_features), so a given seed yields PyTorch's initial model.
/// </summary>
public sealed class LogisticRegression : nn.Module<Tensor, Tensor>
{
    // The field name is the parameter prefix on the wire ("linear.weight"); keep it.
    private readonly Linear linear;

    /// <summary>Creates the module with freshly initialised parameters.</summary>
    public LogisticRegression(int inFeatures) : base(nameof(LogisticRegression))
    {
        linear = nn.Linear(inFeatures, 1);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => torch.sigmoid(linear.forward(input));

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) linear.Dispose();
        base.Dispose(disposing);
    }
}
