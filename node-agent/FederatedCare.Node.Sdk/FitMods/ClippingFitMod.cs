using FederatedCare.Protos.Wire;
using Microsoft.Extensions.Logging;

namespace FederatedCare.Node.Sdk.FitMods;

/// <summary>
/// Differential privacy with client-side clipping: when the task sets a clipping norm C, the payload (the whole
/// upload, SCAFFOLD's control delta included, as the coordinator measures it) is clipped to L2 norm ≤ C in the job's
/// update encoding (<see cref="DeltaClipping"/>); the coordinator refuses an update longer than C. Put it outermost.
/// </summary>
public sealed class ClippingFitMod(ILogger<ClippingFitMod> logger) : IFitMod
{
    /// <inheritdoc />
    public async Task<FitOutcome> FitAsync(FitContext context, FitStep next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var outcome = await next(context, cancellationToken).ConfigureAwait(false);
        var fit = context.Task.Fit;
        if (fit.ClippingNorm > 0)
        {
            double norm = DeltaClipping.Clip(outcome.Payload, fit.ClippingNorm, UpdateEncoding.DTypeOf(fit.UpdateEncoding));
            if (norm > fit.ClippingNorm) SdkLog.DeltaClipped(logger, context.Task.JobId, context.Task.Round, norm, fit.ClippingNorm);
        }
        return outcome;
    }
}
