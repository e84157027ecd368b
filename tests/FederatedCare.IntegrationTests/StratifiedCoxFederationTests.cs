using System.Globalization;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.IntegrationTests;

/// <summary>
/// The stratified Cox analysis over real loopback gRPC with four real node agents on the shipped breast-cancer
/// survival data (examples/breast-cancer-survival): the fit is R's, and what crossed the wire from the regions is
/// recorded — sums (partial log-likelihoods), gradients, information matrices and counts, never a row.
/// </summary>
public sealed class StratifiedCoxFederationTests
{
    private static readonly string[] Files = ["halland", "karolinska", "sahlgrenska", "orebro"];

    [Fact]
    public async Task A_Cox_fit_over_gRPC_matches_R_and_only_sums_gradients_Hessians_and_counts_cross_the_wire()
    {
        var examples = Path.Combine(RepositoryPaths.Root, "examples", "breast-cancer-survival");
        await using var federation = await Federation.StartAsync(Files.Select(f => (string[])["--config", Path.Combine(examples, "nodes", f + ".json")]).ToList());
        var spec = JobSpecFile.Load(Path.Combine(examples, "cox.json"));
        // The demo spec also runs Kaplan–Meier, log-rank and a cross-tab; this test records the Cox fit alone.
        var coxStep = spec.Analysis.Steps.Single(s => s.KindCase == AnalysisStep.KindOneofCase.Cox);
        spec.Analysis.Steps.Clear();
        spec.Analysis.Steps.Add(coxStep);

        var status = await federation.RunJobAsync(spec, TimeSpan.FromMinutes(3));

        Assert.True(status.State == JobState.Succeeded, status.Message);
        var result = Assert.Single((await federation.Research.GetAnalysisResultsAsync(new GetAnalysisResultsRequest { JobId = status.JobId })).Results);
        var reference = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "data", "breast-cancer-survival", "reference", "cox_stratified_efron.csv"))
            .Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(reference.Select(r => r[0]), result.Cox.Terms.Select(t => t.Name));
        foreach (var (r, t) in reference.Zip(result.Cox.Terms))
            Assert.True(Math.Abs(t.Coef - double.Parse(r[1], CultureInfo.InvariantCulture)) <= 1e-3 * double.Parse(r[2], CultureInfo.InvariantCulture), t.Name);
        Assert.Equal(4, result.Cox.Concordance.Count);

        int terms = result.Cox.Terms.Count;
        var trainRows = new HashSet<long>();
        int iterations = 0;
        foreach (var (method, message) in federation.Recorder.Received.Where(r => r.Method.StartsWith("/federatedcare.v1.Federation/", StringComparison.Ordinal)))
        {
            switch (message)
            {
                case RegisterRequest or WaitForTaskRequest or HeartbeatRequest:
                    break;
                case ReportStatisticsRequest r:
                    // A row count only.
                    Assert.Equal(ReportStatisticsRequest.OutcomeOneofCase.Statistics, r.OutcomeCase);
                    Assert.Empty(r.Statistics.Columns);
                    Assert.Empty(r.Statistics.LabelCounts);
                    trainRows.Add(r.Statistics.TrainRows);
                    break;
                case ReportAnalysisRequest { Answer.KindCase: AnalysisAnswer.KindOneofCase.CoxIteration } r:
                    // One log-likelihood, a gradient of p values, the p(p+1)/2 values of the information matrix and two
                    // counts: 55 numbers for 9 terms, whatever the number of patients.
                    var cox = r.Answer.CoxIteration;
                    Assert.Equal(result.Cox.Terms.Select(t => t.Name), cox.Terms);
                    Assert.Equal(terms, cox.Gradient.Count);
                    Assert.Equal(terms * (terms + 1) / 2, cox.Information.Count);
                    Assert.Contains(cox.Rows, trainRows);
                    Assert.InRange(cox.Events, 10, cox.Rows);
                    iterations++;
                    break;
                case ReportAnalysisRequest { Answer.KindCase: AnalysisAnswer.KindOneofCase.CoxConcordance } r:
                    Assert.InRange(r.Answer.CoxConcordance.CIndex, 0, 1);
                    break;
                default:
                    Assert.Fail($"{method} carried an unexpected {message.GetType().Name}");
                    break;
            }
        }
        Assert.Equal([549, 690, 844, 851], trainRows.Select(n => (int)n).Order());
        Assert.Equal(4 * (result.Cox.Iterations + 1), iterations);
    }
}
