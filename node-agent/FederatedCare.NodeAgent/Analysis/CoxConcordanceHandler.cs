using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// Harrell's C of the fitted linear predictor x·β on this region's test rows (<see cref="HarrellConcordance"/>; the
/// higher the predictor, the earlier the event expected), with the counts of rows and events. Refused with fewer
/// test events than the minimum cell count, or no comparable pair.
/// </summary>
public sealed class CoxConcordanceHandler : IAnalysisHandler
{
    /// <inheritdoc />
    public AnalysisTask.KindOneofCase Kind => AnalysisTask.KindOneofCase.CoxConcordance;

    /// <inheritdoc />
    public AnalysisAnswer Answer(AnalysisContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var beta = context.Request.CoxConcordance.Beta;
        var test = context.Data.Test;
        CoxData.RequireSurvival(context);
        if (beta.Count != context.Data.Terms.Count)
            throw new AnalysisRefusedException($"beta has {beta.Count} values but this region's data has {context.Data.Terms.Count} covariate terms.");
        if (test.EventCount < context.MinCellCount)
            throw new AnalysisRefusedException($"only {test.EventCount} events among the {test.Count} test rows, fewer than the minimum cell count {context.MinCellCount}.");
        var lp = test.Covariates.Select(x => x.Select((v, i) => v * beta[i]).Sum()).ToArray();
        var (c, comparable) = HarrellConcordance.Compute(test.Times, test.Events, lp);
        if (comparable == 0) throw new AnalysisRefusedException("no comparable pair among the test rows.");
        return new AnalysisAnswer { CoxConcordance = new CoxConcordanceAnswer { CIndex = c, Rows = test.Count, Events = test.EventCount, ComparablePairs = comparable } };
    }
}
