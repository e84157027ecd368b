using FederatedCare.Federation.Core.Analytics;
using FederatedCare.NodeAgent.Analysis;
using FederatedCare.Protos.V1;
using static FederatedCare.NodeAgent.Tests.Analysis.SurvivalData;

namespace FederatedCare.NodeAgent.Tests.Analysis;

/// <summary>
/// The stratified Cox fit end to end without the network: each region's node computes its stratum's partial
/// log-likelihood, gradient and information (<see cref="CoxIterationHandler"/>) and the coordinator's
/// <see cref="CoxNewtonRaphson"/> sums them; the result must be R's coxph on the pooled training rows
/// (reference/, made by make-reference.R with eps 1e-12 and iter.max 50) to 1e-6 relative.
/// </summary>
public sealed class StratifiedCoxTests
{
    private static readonly Lazy<AnalysisData[]> Data = new(() => Regions.Select(r => Prepare(r.File)).ToArray());

    private static NodeTask Task(AnalysisTask analysis) => new() { JobId = "cox", Schema = Spec.Schema, Analysis = analysis };

    private static Task<CoxFit> FitAsync(CoxTies ties, double tolerance, int maxIterations)
    {
        var terms = Data.Value[0].Terms;
        return CoxNewtonRaphson.FitAsync(terms.Count, tolerance, maxIterations, (beta, _, _) =>
        {
            var request = new CoxIterationRequest { Ties = ties, Beta = { beta } };
            var answers = new SortedDictionary<string, AnalysisAnswer>(StringComparer.Ordinal);
            for (int r = 0; r < Regions.Length; r++)
                answers[Regions[r].Region] = new CoxIterationHandler().Answer(
                    new AnalysisContext(Task(new AnalysisTask { CoxIteration = request }), Data.Value[r], MinCellCount: 10, ReleaseExactEventTimes: false));
            return System.Threading.Tasks.Task.FromResult(CoxSums.Add(answers, terms));
        }, CancellationToken.None);
    }

    private static void Close(double expected, double actual, double relative = 1e-6) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"expected {expected:R}, got {actual:R} (relative difference {Math.Abs(actual - expected) / Math.Abs(expected):E2})");

    [Theory]
    [InlineData(CoxTies.Efron, "efron")]
    [InlineData(CoxTies.Breslow, "breslow")]
    public async Task Region_sums_under_Newton_Raphson_reproduce_R_coxph_stratified_by_region(CoxTies ties, string name)
    {
        var fit = await FitAsync(ties, 1e-12, 50);
        var expected = Reference($"cox_stratified_{name}.csv");
        var terms = CoxInference.Terms(fit, Data.Value[0].Terms);
        Assert.True(fit.Converged);
        Assert.Equal(expected.Select(e => e["term"]), terms.Select(t => t.Name));
        foreach (var (e, t) in expected.Zip(terms))
        {
            Close(Number(e["coef"]), t.Coef);
            Close(Number(e["se"]), t.Se);
        }
        var loglik = Reference($"cox_stratified_{name}_loglik.csv")[0];
        Close(Number(loglik["loglik_null"]), fit.LoglikNull);
        Close(Number(loglik["loglik_model"]), fit.LoglikModel);
        Assert.Equal((2934L, 1609L), (fit.Rows, fit.Events));
    }

    [Fact]
    public async Task With_coxph_default_control_the_fit_converges_to_the_same_estimate()
    {
        var fit = await FitAsync(CoxTies.Efron, 1e-9, 20);
        Assert.True(fit.Converged);
        Assert.InRange(fit.Iterations, 3, 8);
        var expected = Reference("cox_stratified_efron.csv");
        for (int i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(fit.Beta[i] - Number(expected[i]["coef"])) <= 1e-6 * Number(expected[i]["se"]), expected[i]["term"]);
        Close(Number(Reference("cox_stratified_efron_loglik.csv")[0]["loglik_model"]), fit.LoglikModel, 1e-12);
    }

    [Fact]
    public async Task Harrells_C_of_the_fitted_predictor_on_each_regions_test_rows_is_R_concordance()
    {
        var fit = await FitAsync(CoxTies.Efron, 1e-12, 50);
        var expected = Reference("cindex_test_stratified_efron.csv").ToDictionary(r => r["region"], r => Number(r["c_index"]));
        for (int r = 0; r < Regions.Length; r++)
        {
            var answer = new CoxConcordanceHandler().Answer(new AnalysisContext(
                Task(new AnalysisTask { CoxConcordance = new CoxConcordanceRequest { Beta = { fit.Beta } } }), Data.Value[r], 10, false)).CoxConcordance;
            Assert.True(Math.Abs(answer.CIndex - expected[Regions[r].Region]) <= 1e-6, $"{Regions[r].Region}: {answer.CIndex:R} vs {expected[Regions[r].Region]:R}");
            Assert.Equal(Data.Value[r].Test.Count, answer.Rows);
        }
    }

    [Fact]
    public void Breslow_and_Efron_agree_where_no_event_times_are_tied()
    {
        var rows = new AnalysisRows([[1.0], [0.0], [2.0], [1.5]], [5, 3, 8, 1], [true, true, false, true]);
        var efron = CoxPartialLikelihood.Compute(rows, [0.3], efron: true);
        var breslow = CoxPartialLikelihood.Compute(rows, [0.3], efron: false);
        Assert.Equal(breslow.Loglik, efron.Loglik, 12);
        // By hand: risk sets {1,5,3,8}, {3,5,8}, {5,8} at t = 1, 3, 5 (x = 1.5, 0, 1 die).
        double r(double x) => Math.Exp(0.3 * x);
        double expected = 0.3 * 1.5 - Math.Log(r(1) + r(0) + r(2) + r(1.5)) + 0 - Math.Log(r(1) + r(0) + r(2)) + 0.3 - Math.Log(r(1) + r(2));
        Assert.Equal(expected, efron.Loglik, 12);
    }
}
