using FederatedCare.Protos.Wire;

namespace FederatedCare.NodeAgent.Training;

/// <summary>
/// What the job's strategy changes in local training, on top of the model's own loss: FedProx's proximal term
/// (<see cref="FedProx"/>) and SCAFFOLD's gradient correction (<see cref="Node.Sdk.FitMods.Scaffold"/>). <see cref="None"/> is plain
/// local SGD or Adam, as FedAvg and the server-side optimisers (FedAdam, FedYogi, ...) need.
/// </summary>
/// <param name="ProximalMu">μ of the proximal term <c>(μ/2)·‖w − w_global‖²</c> added to every mini-batch loss
/// (Li et al. 2020); 0 for none.</param>
/// <param name="GradientCorrection">Added to every mini-batch gradient before the optimizer step: SCAFFOLD's
/// <c>c − cᵢ</c> (Karimireddy et al. 2020), same names and shapes as the model; null for none.</param>
public sealed record LocalObjective(double ProximalMu = 0, ModelParameters? GradientCorrection = null)
{
    /// <summary>The model's loss alone.</summary>
    public static LocalObjective None { get; } = new();
}
