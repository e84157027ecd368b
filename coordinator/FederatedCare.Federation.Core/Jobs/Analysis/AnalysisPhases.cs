using FederatedCare.Federation.Core.Analytics;
using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>The phase of each analysis kind: the one place a new kind is registered on the coordinator.</summary>
public static class AnalysisPhases
{
    /// <summary>The phase that runs <paramref name="step"/>.</summary>
    /// <exception cref="JobFailedException">The step names no kind this coordinator knows (refused at StartJob already).</exception>
    public static IAnalysisPhase Create(AnalysisStep step) => step.KindCase switch
    {
        AnalysisStep.KindOneofCase.Cox => new CoxPhase(step.Cox),
        AnalysisStep.KindOneofCase.KaplanMeier => new KaplanMeierPhase(step.KaplanMeier),
        AnalysisStep.KindOneofCase.LogRank => new LogRankPhase(step.LogRank),
        AnalysisStep.KindOneofCase.Table1 => new Table1Phase(step.Table1),
        AnalysisStep.KindOneofCase.Crosstab => new CrossTabPhase(step.Crosstab),
        _ => throw new JobFailedException($"analysis step of kind {step.KindCase} is not known to this coordinator."),
    };
}
