namespace FederatedCare.Node.Sdk.FitMods;

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
