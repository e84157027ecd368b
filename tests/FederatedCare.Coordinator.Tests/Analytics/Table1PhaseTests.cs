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
/// The Table 1 phase in the real job engine with scripted regions that answer from their own values: the pooled and
/// per-region quartiles are the rows' own, each region gets only its own quantile questions, and a region's
/// suppressed count suppresses the pooled one.
/// </summary>
public sealed class Table1PhaseTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fedcare-table1-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);
    private readonly InMemoryCoordinatorStore _store = new();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly double[] AValues = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8];
    private static readonly double[] BValues = [-2.5, 0, 10, 7.25, 7.25, 1e6, 3];

    // A region answering from its values; its event counts are (events, rows − events).
    private static ScriptedClient Region(string name, double[] values, long events)
    {
        var client = new ScriptedClient(name)
        {
            StatisticsAnswer = task => new ReportStatisticsRequest { JobId = task.JobId, Statistics = new LocalStatistics { TrainRows = values.Length } },
        };
        client.AnalysisAnswer = task =>
        {
            if (task.Analysis.KindCase == AnalysisTask.KindOneofCase.Table1Summary)
            {
                double mean = values.Average();
                var summary = new Table1SummaryAnswer
                {
                    Rows = new ReleasedCount { Value = values.Length },
                    Numeric = { new NumericColumnSummary { Count = new() { Value = values.Length }, Missing = new(), Mean = mean, SumOfSquaredDeviations = values.Sum(v => (v - mean) * (v - mean)) } },
                };
                // The node suppresses a count under the job's minimum (5), and its complement.
                bool small = events < 5;
                summary.Categorical.Add(new CategoryColumnSummary
                {
                    Levels = { new ReleasedCount { Value = small ? 0 : values.Length - events, Suppressed = small }, new ReleasedCount { Value = small ? 0 : events, Suppressed = small } },
                    Missing = new(),
                });
                return new ReportAnalysisRequest { Answer = new AnalysisAnswer { Table1Summary = summary } };
            }
            var answer = new QuantileCountsAnswer();
            answer.Counts.AddRange(task.Analysis.QuantileCounts.Questions.Select(q => (long)values.Count(v => v <= q.Threshold)));
            return new ReportAnalysisRequest { Answer = new AnalysisAnswer { QuantileCounts = answer } };
        };
        return client;
    }

    private async Task<string> RunAsync(params ScriptedClient[] clients)
    {
        var spec = new JobSpec
        {
            Dataset = "survival",
            MinFitClients = 2,
            RoundDeadlineSeconds = 30,
            Schema = new DatasetSchema
            {
                Features = { new FeatureColumn { Name = "x", Type = ColumnType.Numeric } },
                Label = new LabelColumn { Name = "time", Task = LabelTask.Survival, EventColumn = "event" },
            },
            Analysis = new AnalysisSpec
            {
                MinCellCount = 5,
                Steps = { new AnalysisStep { Table1 = new Table1Spec { Numeric = { "x" }, Categorical = { new Table1Category { Column = "event" } } } } },
            },
        };
        var job = new JobStatus { JobId = "job", Spec = spec, State = JobState.Pending };
        Assert.True(await _store.Jobs.TryCreateAsync(job));
        var engine = new JobEngine(_store, new ScriptedClients(clients), new RoundBoard(), new NoEvents(), new ModelCache(),
            new StrategyRegistry(BuiltInStrategies.All), new NoiseKey(Path.Combine(_directory, "noise.key")), NoChaos.Instance,
            new JobEngineOptions(), _time, NullLogger<JobEngine>.Instance);
        return await engine.RunAsync(job, CancellationToken.None);
    }

    [Fact]
    public async Task Quartiles_are_the_rows_own_and_each_region_gets_only_its_own_questions()
    {
        var (a, b) = (Region("A", AValues, events: 6), Region("B", BValues, events: 3));
        var message = await RunAsync(a, b);

        var result = Assert.Single(await _store.Analyses.ListAsync("job"));
        Assert.Equal(Table1Phase.Name, result.Kind);
        var table = Assert.Single(result.Tables);
        Assert.Equal(["variable", "level", "statistic", "region", "value"], table.Columns);
        string Value(string variable, string level, string statistic, string region) =>
            table.Rows.Single(r => r.Cells.Take(4).SequenceEqual([variable, level, statistic, region])).Cells[4];
        double[] all = [.. AValues, .. BValues];
        Assert.Equal(TypeSeven(all, 0.5), double.Parse(Value("x", "", "median", "all"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TypeSeven(all, 0.25), double.Parse(Value("x", "", "q1", "all"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TypeSeven(BValues, 0.75), double.Parse(Value("x", "", "q3", "B"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("19", Value("rows", "", "n", "all"));
        // B's event counts are suppressed by B, so the pooled ones are too; A's are released.
        Assert.Equal("6", Value("event", "1", "count", "A"));
        Assert.Equal("", Value("event", "1", "count", "B"));
        Assert.Equal("", Value("event", "1", "count", "all"));
        Assert.Contains("4 figures suppressed", message);

        // Each quantile round: the pooled search's thresholds are the same for both regions, their own differ.
        var quantiles = (A: Quantile(a), B: Quantile(b));
        Assert.Equal(quantiles.A.Count, quantiles.B.Count);
        Assert.InRange(quantiles.A.Count, 1, Table1Phase.MaxQuantileRounds);
        foreach (var (ta, tb) in quantiles.A.Zip(quantiles.B))
        {
            Assert.Equal(ta.Where(q => q.Pooled), tb.Where(q => q.Pooled));
        }
        Assert.Contains(quantiles.A.Zip(quantiles.B), x => !x.First.Where(q => !q.Pooled).SequenceEqual(x.Second.Where(q => !q.Pooled)));
    }

    private static List<List<QuantileThreshold>> Quantile(ScriptedClient client)
    {
        var rounds = new List<List<QuantileThreshold>>();
        while (client.Received.Reader.TryRead(out var task))
            if (task.Analysis?.KindCase == AnalysisTask.KindOneofCase.QuantileCounts) rounds.Add([.. task.Analysis.QuantileCounts.Questions]);
        return rounds;
    }

    private static double TypeSeven(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        double h = (sorted.Length - 1) * p;
        int lo = (int)h, hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private sealed class NoEvents : IJobEventSink
    {
        public void Publish(JobStatus status, RoundSummary? round = null) { }
    }
}
