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
