using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Node.Sdk.FitMods;

/// <summary>One fit in progress.</summary>
/// <param name="task">The fit task.</param>
/// <param name="session">The node's session (for downloads).</param>
/// <param name="global">The downloaded global model.</param>
public sealed class FitContext(NodeTask task, NodeSession session, ModelParameters global)
{
    /// <summary>The fit task.</summary>
    public NodeTask Task { get; } = task;

    /// <summary>The node's session.</summary>
    public NodeSession Session { get; } = session;

    /// <summary>The global model the fit starts from.</summary>
    public ModelParameters Global { get; } = global;

    /// <summary>Added to every local gradient by the trainer; null for none.</summary>
    public ModelParameters? GradientCorrection { get; set; }

    /// <summary>The task's strategy name, trimmed and lower-case (<c>fedavg</c>, <c>scaffold</c>, ...; empty when unnamed).</summary>
    public string StrategyName { get; } = (task.Fit?.Strategy?.Name ?? "").Trim().ToLowerInvariant();
}
