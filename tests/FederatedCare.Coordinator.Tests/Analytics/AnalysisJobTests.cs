using FederatedCare.Coordinator.Tests.Engine;
using FederatedCare.Federation.Core.Analytics;
using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Federation.Core.Privacy;
using FederatedCare.Federation.Core.Storage.InMemory;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FederatedCare.Coordinator.Tests.Analytics;

/// <summary>
/// The analysis-job framework in process (statistics phase, then a Cox phase) with scripted regions and a fake
/// clock. Each scripted region's "stratum" has the log-likelihood ℓᵣ(β) = cᵣ − ½aᵣ(β − bᵣ)², so the summed fit is known
/// in closed form: β̂ = Σaᵣbᵣ / Σaᵣ, se = 1/√Σaᵣ.
/// </summary>
public sealed class AnalysisJobTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("fedcare-analysis-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);
    private readonly InMemoryCoordinatorStore _store = new();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static ScriptedClient Region(string name, double a, double b, double c = -100)
    {
        var client = new ScriptedClient(name)
        {
            StatisticsAnswer = task => new ReportStatisticsRequest { JobId = task.JobId, Statistics = new LocalStatistics { TrainRows = 50 } },
        };
        client.AnalysisAnswer = task => task.Analysis.KindCase switch
        {
            AnalysisTask.KindOneofCase.CoxIteration => Quadratic(task.Analysis.CoxIteration.Beta[0], a, b, c),
            _ => new ReportAnalysisRequest { Answer = new AnalysisAnswer { CoxConcordance = new CoxConcordanceAnswer { CIndex = 0.7, Rows = 12, Events = 5, ComparablePairs = 40 } } },
        };
        return client;
    }

    private static ReportAnalysisRequest Quadratic(double beta, double a, double b, double c) => new()
    {
        Answer = new AnalysisAnswer
        {
            CoxIteration = new CoxIterationAnswer
            {
                Terms = { "x" }, Loglik = c - 0.5 * a * (beta - b) * (beta - b), Gradient = { a * (b - beta) }, Information = { a }, Rows = 50, Events = 20,
            },
        },
    };

    private static JobSpec Spec() => new()
    {
        Dataset = "survival",
        MinFitClients = 2,
        RoundDeadlineSeconds = Deadline.TotalSeconds,
        Schema = new DatasetSchema
        {
            Features = { new FeatureColumn { Name = "x", Type = ColumnType.Numeric } },
            Label = new LabelColumn { Name = "time", Task = LabelTask.Survival, EventColumn = "event" },
        },
        Analysis = new AnalysisSpec { MinCellCount = 7, Steps = { new AnalysisStep { Cox = new CoxSpec { Concordance = true } } } },
    };

    private async Task<string> RunAsync(params ScriptedClient[] clients)
    {
        var job = new JobStatus { JobId = "job", Spec = Spec(), State = JobState.Pending };
        Assert.True(await _store.Jobs.TryCreateAsync(job));
        var engine = new JobEngine(_store, new ScriptedClients(clients), new RoundBoard(), new NoEvents(), new ModelCache(),
            new StrategyRegistry(BuiltInStrategies.All), new NoiseKey(Path.Combine(_directory, "noise.key")), NoChaos.Instance,
            new JobEngineOptions(), _time, NullLogger<JobEngine>.Instance);
        return await engine.RunAsync(job, CancellationToken.None);
    }

    [Fact]
    public async Task The_Cox_phase_runs_Newton_Raphson_on_the_regions_sums_and_stores_the_result_with_its_tables()
    {
        var (a, b) = (Region("A", a: 2, b: 1), Region("B", a: 6, b: 3));
        var message = await RunAsync(a, b);

        var result = Assert.Single(await _store.Analyses.ListAsync("job"));
        Assert.Equal((0, CoxPhase.Name), (result.Step, result.Kind));
        var cox = result.Cox;
        var term = Assert.Single(cox.Terms);
        Assert.Equal(2.5, term.Coef, 12); // (2·1 + 6·3) / 8
        Assert.Equal(1 / Math.Sqrt(8), term.Se, 12);
        Assert.Equal(Math.Exp(2.5), term.HazardRatio, 12);
        Assert.True(cox.Converged);
        Assert.Equal(2, cox.Iterations);
        Assert.Equal((100L, 40L), (cox.Rows, cox.Events));
        Assert.Equal(["A", "B"], cox.Regions);
        Assert.Equal(["A", "B"], cox.Concordance.Select(c => c.Region));
        Assert.Equal(["cox_coefficients", "cox_loglik", "cindex"], result.Tables.Select(t => t.Name));
        Assert.Equal(["term", "coef", "se", "hazard_ratio", "lower95", "upper95", "z", "p"], result.Tables[0].Columns);
        Assert.Equal(["x", "2.5"], result.Tables[0].Rows[0].Cells.Take(2));
        Assert.StartsWith("Cox (Efron ties, strata A, B): 1 terms, 100 rows, 40 events, converged in 2 iterations", message);

        // The regions got a statistics task for an analysis job, then analysis rounds numbered 1, 2, ... carrying the
        // job's minimum cell count: three Cox iterations (β = 0, β̂, β̂ again) and the concordance round.
        var tasks = new List<NodeTask>();
        while (a.Received.Reader.TryRead(out var task)) tasks.Add(task);
        Assert.True(tasks[0].Statistics.Analysis);
        Assert.Equal([1, 2, 3, 4], tasks.Skip(1).Select(t => t.Round));
        Assert.All(tasks.Skip(1), t => Assert.Equal(7, t.Analysis.MinCellCount));
        Assert.Equal([0.0, 2.5, 2.5], tasks.Skip(1).Take(3).Select(t => Math.Round(t.Analysis.CoxIteration.Beta[0], 12)));
        Assert.Equal(AnalysisTask.KindOneofCase.CoxConcordance, tasks[4].Analysis.KindCase);
    }

    [Fact]
    public async Task A_region_refusing_an_iteration_fails_the_fit_naming_it_and_why()
    {
        var (a, b) = (Region("A", 2, 1), Region("B", 6, 3));
        b.AnalysisAnswer = task => task.Round == 2 ? new ReportAnalysisRequest { Refusal = "only 3 events, fewer than the minimum cell count 10" }
            : Quadratic(task.Analysis.CoxIteration.Beta[0], 6, 3, -100);

        var failure = await Assert.ThrowsAsync<JobFailedException>(() => RunAsync(a, b));
        Assert.Equal("Cox iteration 1: B: only 3 events, fewer than the minimum cell count 10", failure.Message);
        Assert.Empty(await _store.Analyses.ListAsync("job"));
    }

    [Fact]
    public async Task A_silent_region_costs_the_rounds_deadline_on_the_jobs_clock_and_is_named()
    {
        var (a, b) = (Region("A", 2, 1), Region("B", 6, 3));
        b.AnalysisAnswer = _ => null;
        var run = RunAsync(a, b);

        await b.NextAsync(NodeTask.KindOneofCase.Analysis);
        _time.Advance(Deadline + TimeSpan.FromSeconds(1));

        var failure = await Assert.ThrowsAsync<JobFailedException>(() => run);
        Assert.Equal("Cox iteration 0: B: no answer within 30 s", failure.Message);
    }

    [Fact]
    public async Task Answers_that_do_not_fit_the_terms_fail_the_fit_naming_the_region()
    {
        var (a, b) = (Region("A", 2, 1), Region("B", 6, 3));
        b.AnalysisAnswer = task =>
        {
            var answer = Quadratic(task.Analysis.CoxIteration.Beta[0], 6, 3, -100);
            answer.Answer.CoxIteration.Terms[0] = "y";
            return answer;
        };

        var failure = await Assert.ThrowsAsync<JobFailedException>(() => RunAsync(a, b));
        Assert.Equal("region B encodes the covariates as [y], the job's schema as [x].", failure.Message);
    }

    [Fact]
    public async Task A_stored_result_is_not_computed_again_when_the_job_resumes()
    {
        var (a, b) = (Region("A", 2, 1), Region("B", 6, 3));
        await _store.Analyses.SaveAsync("job", new AnalysisResult { Step = 0, Kind = CoxPhase.Name, Summary = "done before the restart" });

        Assert.Equal("done before the restart", await RunAsync(a, b));
        Assert.Equal(1, a.Received.Reader.Count); // the statistics task only
    }

    private sealed class NoEvents : IJobEventSink
    {
        public void Publish(JobStatus status, RoundSummary? round = null) { }
    }
}
