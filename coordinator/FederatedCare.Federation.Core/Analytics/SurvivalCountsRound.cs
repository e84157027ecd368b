using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// The round Kaplan–Meier and the log-rank test share: every joined region releases its survival counts
/// (<see cref="SurvivalCountsRequest"/>), checked here into <see cref="SurvivalCounts"/>. Both need every region (a
/// pooled curve without one is another population), so a refusal or silence fails the analysis, named.
/// </summary>
internal static class SurvivalCountsRound
{
    /// <summary>Each region's counts, sorted by region.</summary>
    /// <exception cref="JobFailedException">A region did not answer, or its counts do not add up.</exception>
    public static async Task<List<(string Region, SurvivalCounts Counts)>> AskAsync(AnalysisRun run, double binWidth, string what, CancellationToken ct)
    {
        var replies = await run.AskAsync(new AnalysisTask { SurvivalCounts = new SurvivalCountsRequest { BinWidth = binWidth } }, ct).ConfigureAwait(false);
        var counts = new List<(string, SurvivalCounts)>();
        foreach (var (region, answer) in replies.FromEveryRegion(what))
        {
            if (answer.KindCase != AnalysisAnswer.KindOneofCase.SurvivalCounts)
                throw new JobFailedException($"{what}: region {region} answered with {answer.KindCase}.");
            var a = answer.SurvivalCounts;
            try
            {
                if (a.BinWidth != binWidth) throw new InvalidReleaseException($"counts for bins of {a.BinWidth}, not {binWidth}");
                if (binWidth == 0 && (a.Bins.Count > 0 || a.AtRisk.Count > 0)) throw new InvalidReleaseException("bins in an exact release");
                if (binWidth != 0 && a.Times.Count > 0) throw new InvalidReleaseException("exact times in a binned release");
                counts.Add((region, binWidth == 0 ? SurvivalCounts.FromExact(a.Times, a.Events, a.Censored)
                    : SurvivalCounts.FromBins(binWidth, a.Bins, a.AtRisk, a.Events, a.Censored)));
            }
            catch (InvalidReleaseException e)
            {
                throw new JobFailedException($"{what}: region {region} released {e.Message}.");
            }
        }
        return counts;
    }

    /// <summary>"exact times" or "bins of w", for summaries.</summary>
    public static string Mode(double binWidth) =>
        binWidth == 0 ? "exact times" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"bins of {binWidth}");
}
