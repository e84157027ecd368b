using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FederatedCare.NodeAgent.Models;

/// <summary>
/// The linear predictor of the Cox proportional hazards model, η = xᵀβ: <c>Linear(in_features, 1)</c> without a bias
/// (a constant would cancel from every risk set of the partial likelihood, so it is not identified). Input
/// [N, in_features] → log relative hazards [N, 1]; exp(βⱼ) is the hazard ratio of a unit of covariate j (a standard
/// deviation, once standardised). Parameter <c>linear.weight</c> [1, in_features] = βᵀ, starting at 0 as R's
/// <c>coxph</c> does (the null model), so the initial model does not depend on the seed.
/// </summary>
public sealed class CoxLinearPredictor : nn.Module<Tensor, Tensor>
{
    // The field name is the parameter prefix on the wire ("linear.weight"); keep it.
    private readonly Linear linear;

    /// <summary>Creates the module with β = 0.</summary>
    public CoxLinearPredictor(int inFeatures) : base(nameof(CoxLinearPredictor))
    {
        linear = nn.Linear(inFeatures, 1, hasBias: false);
        using (torch.no_grad()) linear.weight!.zero_();
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
