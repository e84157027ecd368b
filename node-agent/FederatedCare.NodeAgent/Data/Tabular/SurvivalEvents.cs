using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Data.Tabular;

/// <summary>
/// The check every survival job makes of a region's training rows, analysis (Cox, Kaplan–Meier) or training (a Cox
/// model): at least one event, since a region whose rows are all censored adds no term to the partial likelihood
/// and no step to a survival curve.
/// </summary>
public static class SurvivalEvents
{
    /// <summary>Refuses training rows without an event.</summary>
    /// <param name="path">The region's file (for the message).</param>
    /// <param name="label">The job's survival label (its event column is named).</param>
    /// <param name="rows">Training rows.</param>
    /// <param name="events">Training rows with the event observed.</param>
    /// <exception cref="DataFileException">No event.</exception>
    public static void RequireOne(string path, LabelColumn label, int rows, int events)
    {
        if (events == 0)
            throw new DataFileException(path, null,
                $"no event among the {rows} training rows (every one is censored); a survival job needs at least one.",
                $"column '{label.EventColumn}'");
    }
}
