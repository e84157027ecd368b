using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Analysis;

/// <summary>The checks every Cox task makes of the region's data before computing anything.</summary>
internal static class CoxData
{
    /// <summary>Refuses unless the job's label is a survival label.</summary>
    public static void RequireSurvival(AnalysisContext context)
    {
        if (context.Task.Schema?.Label?.Task != LabelTask.Survival)
            throw new AnalysisRefusedException("a Cox model needs a survival label (LABEL_TASK_SURVIVAL); the job's label is not one.");
    }

    /// <summary>The training rows, refused with fewer events than the minimum cell count.</summary>
    public static AnalysisRows Train(AnalysisContext context)
    {
        RequireSurvival(context);
        var train = context.Data.Train;
        if (train.EventCount < context.MinCellCount)
            throw new AnalysisRefusedException($"only {train.EventCount} events among the {train.Count} training rows, fewer than the minimum cell count {context.MinCellCount}.");
        return train;
    }
}
