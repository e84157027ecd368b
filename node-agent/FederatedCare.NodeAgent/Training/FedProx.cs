using System.Globalization;
using FederatedCare.Protos.V1;
using TorchSharp;
using static TorchSharp.torch;

namespace FederatedCare.NodeAgent.Training;

/// <summary>
/// FedProx's local side (Li et al., "Federated Optimization in Heterogeneous Networks", MLSys 2020): each client
/// minimises its loss plus <c>(μ/2)·‖w − w_global‖²</c>, which pulls the local model toward the round's global
/// model by adding <c>μ·(w − w_global)</c> to every gradient. FLamby's Fed-Heart-Disease uses μ = 0.01.
/// </summary>
public static class FedProx
{
    /// <summary>The strategy name in <see cref="StrategySpec.Name"/>.</summary>
    public const string Name = WireNames.Strategies.FedProx;

    /// <summary>μ when the strategy's parameters do not name one (FLamby's value).</summary>
    public const double DefaultMu = 0.01;

    /// <summary><c>strategy.parameters["mu"]</c>, or <see cref="DefaultMu"/> when absent.</summary>
    /// <exception cref="ArgumentException">μ is negative or not finite.</exception>
    public static double MuOf(StrategySpec strategy)
    {
        if (!strategy.Parameters.TryGetValue(WireNames.Strategies.FedProxMu, out var mu)) return DefaultMu;
        if (!double.IsFinite(mu) || mu < 0)
            throw new ArgumentException($"FedProx mu must be a non-negative number (was {mu.ToString(CultureInfo.InvariantCulture)}).");
        return mu;
    }

    /// <summary>
    /// Adds the proximal term's gradient <c>μ·(w_k − g_k)</c> to each parameter's gradient, in place, after the
    /// model loss's backward pass. This is the exact gradient of <c>(μ/2)·Σ_k ‖w_k − g_k‖²</c>; adding it directly
    /// spares autograd the penalty's graph, which doubled the cost of a small model's training step.
    /// </summary>
    /// <param name="parameters">The module's parameters w_k, with their gradients computed.</param>
    /// <param name="anchor">The global model's tensors g_k, aligned with <paramref name="parameters"/>, same shapes and device.</param>
    /// <param name="mu">μ ≥ 0.</param>
    public static void AddProximalGradient(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor> anchor, double mu)
    {
        using var noGrad = torch.no_grad();
        for (int k = 0; k < parameters.Count; k++)
        {
            using var pull = parameters[k].sub(anchor[k]);
            parameters[k].grad!.add_(pull, mu);
        }
    }
}
