using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FederatedCare.NodeAgent.Models;

/// <summary>
/// A multi-layer perceptron: <c>layers.0 … layers.k</c> Linear layers with an activation and dropout between them;
/// the last layer's output is a probability (sigmoid, binary), logits (multi-class) or a value (regression).
/// Parameters <c>layers.i.weight</c>, <c>layers.i.bias</c>.
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    // The field name is the parameter prefix on the wire ("layers.0.weight"); keep it.
    private readonly ModuleList<Linear> layers;
    private readonly Func<Tensor, Tensor> _activation;
    private readonly double _dropout;
    private readonly bool _sigmoidOutput;

    /// <summary>Creates the module with freshly initialised parameters.</summary>
    public Mlp(int inFeatures, IReadOnlyList<int> hidden, int outputs, Func<Tensor, Tensor> activation, double dropout, bool sigmoidOutput)
        : base(nameof(Mlp))
    {
        var sizes = new List<int> { inFeatures };
        sizes.AddRange(hidden);
        sizes.Add(outputs);
        layers = new ModuleList<Linear>();
        for (int i = 0; i + 1 < sizes.Count; i++) layers.Add(nn.Linear(sizes[i], sizes[i + 1]));
        _activation = activation;
        _dropout = dropout;
        _sigmoidOutput = sigmoidOutput;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var x = input;
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].forward(x);
            if (i + 1 < layers.Count)
            {
                x = _activation(x);
                if (_dropout > 0) x = nn.functional.dropout(x, _dropout, training);
            }
        }
        return _sigmoidOutput ? torch.sigmoid(x) : x;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) layers.Dispose();
        base.Dispose(disposing);
    }
}
