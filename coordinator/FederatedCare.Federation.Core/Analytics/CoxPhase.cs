using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Protos.V1;
using static FederatedCare.Federation.Core.Jobs.AnalysisTables;

namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// The stratified Cox model (strata = regions) as an analysis phase: <see cref="CoxNewtonRaphson"/> where each
/// evaluation is one round in which every joined region computes its partial log-likelihood, gradient and information
/// at the coordinator's β on its own training rows (<see cref="CoxSums"/> adds them; a stratified fit needs every
/// stratum, so a region that refuses or stays silent fails the analysis, named); then, with
/// <see cref="CoxSpec.Concordance"/>, one round in which each region computes Harrell's C of x·β on its test rows.
/// Tables: <c>cox_coefficients</c>, <c>cox_loglik</c> and, with concordance, <c>cindex</c>.
/// </summary>
public sealed class CoxPhase(CoxSpec spec) : IAnalysisPhase
{
    /// <summary>The kind's name.</summary>
    public const string Name = "cox";

    /// <summary>R's coxph.control defaults.</summary>
    public const double DefaultTolerance = 1e-9;

    /// <inheritdoc cref="DefaultTolerance"/>
    public const int DefaultMaxIterations = 20;

    /// <inheritdoc />
    public string Kind => Name;

    /// <inheritdoc />
    public async Task<AnalysisResult> RunAsync(AnalysisRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        var names = CoxTerms.Of(run.Job.Spec.Schema);
        var ties = spec.Ties;
        var fit = await CoxNewtonRaphson.FitAsync(names.Count, spec.Tolerance > 0 ? spec.Tolerance : DefaultTolerance,
            spec.MaxIterations > 0 ? spec.MaxIterations : DefaultMaxIterations, async (beta, iteration, token) =>
            {
                var request = new CoxIterationRequest { Ties = ties };
                request.Beta.AddRange(beta);
                var replies = await run.AskAsync(new AnalysisTask { CoxIteration = request }, token).ConfigureAwait(false);
                return CoxSums.Add(replies.FromEveryRegion($"Cox iteration {iteration}"), names);
            }, ct).ConfigureAwait(false);

        var (chisq, df, p) = CoxInference.LikelihoodRatio(fit);
        var result = new CoxResult
        {
            Ties = ties, LoglikNull = fit.LoglikNull, LoglikModel = fit.LoglikModel, LrChisq = chisq, LrDf = df, LrP = p,
            Iterations = fit.Iterations, Converged = fit.Converged, Rows = fit.Rows, Events = fit.Events,
        };
        result.Terms.AddRange(CoxInference.Terms(fit, names));
        result.Regions.AddRange(run.Regions);
        string concordanceNote = "";
        if (spec.Concordance)
        {
            var request = new CoxConcordanceRequest();
            request.Beta.AddRange(fit.Beta);
            var replies = await run.AskAsync(new AnalysisTask { CoxConcordance = request }, ct).ConfigureAwait(false);
            foreach (var (region, answer) in replies.Answers)
                result.Concordance.Add(Concordance(region, answer));
            if (replies.Problems.Count > 0) concordanceNote = $"; no C from {string.Join("; ", replies.Problems)}";
        }
        var analysis = new AnalysisResult
        {
            Summary = $"Cox ({(ties == CoxTies.Breslow ? "Breslow" : "Efron")} ties, strata {string.Join(", ", result.Regions)}): " +
                $"{names.Count} terms, {fit.Rows} rows, {fit.Events} events, " +
                (fit.Converged ? $"converged in {fit.Iterations} iterations" : $"NOT converged in {fit.Iterations} iterations") +
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $", loglik {fit.LoglikModel:0.####} (null {fit.LoglikNull:0.####}), LR chi2 {chisq:0.##} on {df} df") +
                concordanceNote,
            Cox = result,
        };
        analysis.Tables.Add(Table("cox_coefficients", ["term", "coef", "se", "hazard_ratio", "lower95", "upper95", "z", "p"],
            result.Terms.Select(t => (IReadOnlyList<string>)[t.Name, Cell(t.Coef), Cell(t.Se), Cell(t.HazardRatio), Cell(t.Lower95), Cell(t.Upper95), Cell(t.Z), Cell(t.P)])));
        analysis.Tables.Add(Table("cox_loglik", ["loglik_null", "loglik_model", "lr_chisq", "lr_df", "lr_p", "iterations", "converged", "rows", "events"],
            [[Cell(fit.LoglikNull), Cell(fit.LoglikModel), Cell(chisq), Cell(df), Cell(p), Cell(fit.Iterations), fit.Converged ? "true" : "false", Cell(fit.Rows), Cell(fit.Events)]]));
        if (spec.Concordance)
            analysis.Tables.Add(Table("cindex", ["region", "c_index", "rows", "events"],
                result.Concordance.Select(c => (IReadOnlyList<string>)[c.Region, Cell(c.CIndex), Cell(c.Rows), Cell(c.Events)])));
        return analysis;
    }

    private static RegionConcordance Concordance(string region, AnalysisAnswer answer)
    {
        if (answer.KindCase != AnalysisAnswer.KindOneofCase.CoxConcordance)
            throw new JobFailedException($"region {region} answered the concordance round with {answer.KindCase}.");
        var c = answer.CoxConcordance;
        if (!(c.CIndex is >= 0 and <= 1) || c.Rows < 0 || c.Events < 0 || c.Events > c.Rows)
            throw new JobFailedException($"region {region} sent a concordance of {c.CIndex} over {c.Events} events in {c.Rows} rows.");
        return new RegionConcordance { Region = region, CIndex = c.CIndex, Rows = c.Rows, Events = c.Events };
    }
}
