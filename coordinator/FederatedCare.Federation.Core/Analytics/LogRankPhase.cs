using System.Globalization;
using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Protos.V1;
using static FederatedCare.Federation.Core.Jobs.AnalysisTables;

namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// The log-rank test across the regions as an analysis phase: one round of survival counts
/// (<see cref="SurvivalCountsRound"/>), then <see cref="LogRankTest.Compute"/>. Tables: <c>logrank</c>
/// (<c>chisq,df,p</c>) and <c>logrank_regions</c> (<c>region,n,observed,expected,variance</c>).
/// </summary>
public sealed class LogRankPhase(LogRankSpec spec) : IAnalysisPhase
{
    /// <summary>The kind's name.</summary>
    public const string Name = "logrank";

    /// <inheritdoc />
    public string Kind => Name;

    /// <inheritdoc />
    public async Task<AnalysisResult> RunAsync(AnalysisRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        var regions = await SurvivalCountsRound.AskAsync(run, spec.BinWidth, "log-rank test", ct).ConfigureAwait(false);
        if (regions.Count < 2) throw new JobFailedException($"log-rank test: needs at least two regions, {regions.Count} joined.");
        var test = LogRankTest.Compute([.. regions.Select(r => (r.Region, r.Counts))]);
        var result = new AnalysisResult
        {
            Summary = string.Create(CultureInfo.InvariantCulture,
                $"log-rank test across {regions.Count} regions ({SurvivalCountsRound.Mode(spec.BinWidth)}): chi2 {test.ChiSquare:0.####} on {test.DegreesOfFreedom} df, p = {test.PValue:G3}"),
        };
        result.Tables.Add(Table("logrank", ["chisq", "df", "p"], [[Cell(test.ChiSquare), Cell(test.DegreesOfFreedom), Cell(test.PValue)]]));
        result.Tables.Add(Table("logrank_regions", ["region", "n", "observed", "expected", "variance"],
            test.Groups.Select((g, i) => (IReadOnlyList<string>)[g, Cell(test.Rows[i]), Cell(test.Observed[i]), Cell(test.Expected[i]), Cell(test.Variance[i, i])])));
        return result;
    }
}
