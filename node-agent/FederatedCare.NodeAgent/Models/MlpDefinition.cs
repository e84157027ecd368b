using System.Globalization;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using TorchSharp;
using static TorchSharp.torch;

namespace FederatedCare.NodeAgent.Models;

/// <summary>
/// <c>mlp</c>: <see cref="Mlp"/> for binary, multi-class and regression labels. Hyperparameters: <c>hidden_sizes</c> (comma-separated, default
/// <c>32</c>), <c>activation</c> (<c>relu</c> default, <c>tanh</c>, <c>sigmoid</c>, <c>gelu</c>), <c>dropout</c>
/// (0 ≤ p &lt; 1, default 0), <c>in_features</c> (checked against the schema's encoded width).
/// </summary>
public sealed class MlpDefinition : IModelDefinition
{
    /// <inheritdoc />
    public string Name => ModelCatalog.Mlp.Name;

    /// <inheritdoc />
    public IReadOnlyList<string> Hyperparameters => ModelCatalog.Mlp.Hyperparameters;

    /// <inheritdoc />
    public nn.Module<Tensor, Tensor> Create(ModelSpec spec, DataShape shape)
    {
        shape.Require(Name, [.. ModelCatalog.Mlp.Tasks]);
        int inFeatures = shape.CheckInputWidth(spec);
        var hiddenText = spec.Hyperparameters.TryGetValue(ModelCatalog.Keys.HiddenSizes, out var h) && !string.IsNullOrWhiteSpace(h) ? h : "32";
        var hidden = new List<int>();
        foreach (var part in hiddenText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            hidden.Add(int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n : throw new ModelSpecException($"Hyperparameter hidden_sizes='{hiddenText}' of model mlp must be positive integers separated by commas."));
        var activationName = spec.Hyperparameters.TryGetValue(ModelCatalog.Keys.Activation, out var a) && !string.IsNullOrWhiteSpace(a) ? a.Trim().ToLowerInvariant() : "relu";
        Func<Tensor, Tensor> activation = activationName switch
        {
            "relu" => x => nn.functional.relu(x),
            "tanh" => x => torch.tanh(x),
            "sigmoid" => x => torch.sigmoid(x),
            "gelu" => x => nn.functional.gelu(x),
            _ => throw new ModelSpecException($"Hyperparameter activation='{activationName}' of model mlp is not relu, tanh, sigmoid or gelu."),
        };
        double dropout = 0;
        if (spec.Hyperparameters.TryGetValue(ModelCatalog.Keys.Dropout, out var d) && !string.IsNullOrWhiteSpace(d)
            && (!double.TryParse(d, NumberStyles.Float, CultureInfo.InvariantCulture, out dropout) || dropout < 0 || dropout >= 1))
            throw new ModelSpecException($"Hyperparameter dropout='{d}' of model mlp must be a number in [0, 1).");
        return new Mlp(inFeatures, hidden, shape.Outputs, activation, dropout, shape.Task == LabelTask.Binary);
    }
}
