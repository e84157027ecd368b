using System.Globalization;
using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Protos.V1;
using static FederatedCare.Federation.Core.Jobs.AnalysisTables;

namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// Kaplan–Meier per region and pooled as an analysis phase: one round of survival counts
/// (<see cref="SurvivalCountsRound"/>), then <see cref="KaplanMeier.Fit"/> on each region's and on the pooled counts.
/// Tables: <c>km</c> (pooled, at the summary years: <c>years,time,n_risk,n_event,survival,std_err,lower95,upper95</c>,
/// as R's <c>summary(survfit, times = 365.25 * years)</c>), <c>km_regions</c> (the same per region) and
/// <c>km_curves</c> (every step of every curve, region <c>all</c> pooled: for plots).
/// </summary>
public sealed class KaplanMeierPhase(KaplanMeierSpec spec) : IAnalysisPhase
{
    /// <summary>The kind's name.</summary>
    public const string Name = "km";

    /// <summary>Time units (days) per summary year.</summary>
    public const double DaysPerYear = 365.25;

    /// <inheritdoc />
    public string Kind => Name;

    /// <inheritdoc />
    public async Task<AnalysisResult> RunAsync(AnalysisRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        var regions = await SurvivalCountsRound.AskAsync(run, spec.BinWidth, "Kaplan–Meier", ct).ConfigureAwait(false);
        var pooled = SurvivalCounts.Pool(regions.Select(r => r.Counts));
        var curves = regions.Select(r => (r.Region, Curve: KaplanMeier.Fit(r.Counts))).Append((Region: Table1.AllRegions, Curve: KaplanMeier.Fit(pooled))).ToList();
        var years = spec.SummaryYears.ToList();
        double[] times = [.. years.Select(y => y * DaysPerYear)];
        var result = new AnalysisResult
        {
            Summary = string.Create(CultureInfo.InvariantCulture,
                $"Kaplan–Meier ({SurvivalCountsRound.Mode(spec.BinWidth)}) of {pooled.Rows} rows, {pooled.TotalEvents} events in {regions.Count} regions") +
                (years.Count > 0 ? string.Create(CultureInfo.InvariantCulture, $"; pooled S({years[^1]} years) = {curves[^1].Curve.At(times)[^1].Survival:0.####}") : ""),
        };
        string[] summaryColumns = ["years", "time", "n_risk", "n_event", "survival", "std_err", "lower95", "upper95"];
        result.Tables.Add(Table("km", summaryColumns, SummaryRows(curves[^1].Curve, years, times)));
        result.Tables.Add(Table("km_regions", ["region", .. summaryColumns],
            curves.SkipLast(1).SelectMany(c => SummaryRows(c.Curve, years, times).Select(row => (IReadOnlyList<string>)[c.Region, .. row]))));
        result.Tables.Add(Table("km_curves", ["region", "time", "n_risk", "n_event", "n_censored", "survival", "std_err", "lower95", "upper95"],
            curves.SelectMany(c => c.Curve.Steps.Select(s => (IReadOnlyList<string>)[c.Region, Cell(s.Time), Cell(s.AtRisk), Cell(s.Events), Cell(s.Censored),
                Cell(s.Survival), Number(s.StandardError), Number(s.Lower), Number(s.Upper)]))));
        return result;
    }

    private static IEnumerable<IReadOnlyList<string>> SummaryRows(KaplanMeierCurve curve, List<double> years, double[] times) =>
        curve.At(times).Select((s, i) => (IReadOnlyList<string>)[Cell(years[i]), Cell(s.Time), Cell(s.AtRisk), Cell(s.Events), Cell(s.Survival),
            Number(s.StandardError), Number(s.Lower), Number(s.Upper)]);

    // NaN (no interval once S = 0) and ∞ (its standard error) are empty cells.
    private static string Number(double value) => double.IsFinite(value) ? Cell(value) : "";
}
