using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// Kaplan–Meier and the log-rank test on this region's training rows: releases <see cref="SurvivalCountRelease"/>'s
/// counts, exact (only where the node's <c>ReleaseExactEventTimes</c> allows) or per time bin (no time at all).
/// </summary>
public sealed class SurvivalCountsHandler : IAnalysisHandler
{
    /// <inheritdoc />
    public AnalysisTask.KindOneofCase Kind => AnalysisTask.KindOneofCase.SurvivalCounts;

    /// <inheritdoc />
    public AnalysisAnswer Answer(AnalysisContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        CoxData.RequireSurvival(context);
        var train = context.Data.Train;
        double width = context.Request.SurvivalCounts.BinWidth;
        var answer = new SurvivalCountsAnswer { BinWidth = width };
        if (width == 0)
        {
            var counts = SurvivalCountRelease.Exact(train.Times, train.Events, context.MinCellCount, context.ReleaseExactEventTimes);
            answer.Times.AddRange(counts.Select(c => c.Time));
            answer.Events.AddRange(counts.Select(c => c.Events));
            answer.Censored.AddRange(counts.Select(c => c.Censored));
        }
        else
        {
            var counts = SurvivalCountRelease.Binned(train.Times, train.Events, width, context.MinCellCount);
            answer.Bins.AddRange(counts.Select(c => c.Bin));
            answer.AtRisk.AddRange(counts.Select(c => c.AtRisk));
            answer.Events.AddRange(counts.Select(c => c.Events));
            answer.Censored.AddRange(counts.Select(c => c.Censored));
        }
        return new AnalysisAnswer { SurvivalCounts = answer };
    }
}
