using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Node.Sdk.FitMods;

/// <summary>The rest of a fit: the mods further in, then local training.</summary>
public delegate Task<FitOutcome> FitStep(FitContext context, CancellationToken cancellationToken);

/// <summary>
/// A piece wrapped around local training (Flower's client mods): it may prepare the request before calling
/// <c>next</c> (SCAFFOLD's gradient correction) and change the payload after (clipping, SCAFFOLD's control delta), and
/// act once the coordinator answered the upload (<see cref="FitOutcome.OnUploaded"/>). A mod that does not apply to
/// the task calls <c>next</c> and returns its outcome unchanged.
/// </summary>
public interface IFitMod
{
    /// <summary>Runs the fit through this mod.</summary>
    Task<FitOutcome> FitAsync(FitContext context, FitStep next, CancellationToken cancellationToken);
}

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

/// <summary>What a fit uploads.</summary>
/// <param name="result">The trainer's result; <see cref="Payload"/> starts as its delta.</param>
/// <param name="trainMilliseconds">Time local training took (for the log).</param>
public sealed class FitOutcome(FitResult result, long trainMilliseconds)
{
    /// <summary>The trainer's result.</summary>
    public FitResult Result { get; } = result;

    /// <summary>Time local training took, in milliseconds.</summary>
    public long TrainMilliseconds { get; } = trainMilliseconds;

    /// <summary>The tensors to upload (changed in place or replaced by mods).</summary>
    public ModelParameters Payload { get; set; } = result.Delta;

    /// <summary>Run in order with the coordinator's answer once the upload returned.</summary>
    public IList<Action<UploadUpdateResponse>> OnUploaded { get; } = [];
}

/// <summary>Chains mods around a trainer step.</summary>
public static class FitPipeline
{
    /// <summary>Runs <paramref name="train"/> inside <paramref name="mods"/>, the first mod outermost.</summary>
    public static Task<FitOutcome> RunAsync(IReadOnlyList<IFitMod> mods, FitContext context, FitStep train, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mods);
        var step = train;
        for (int i = mods.Count - 1; i >= 0; i--)
        {
            var (mod, next) = (mods[i], step);
            step = (c, ct) => mod.FitAsync(c, next, ct);
        }
        return step(context, cancellationToken);
    }
}
