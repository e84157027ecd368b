using FederatedCare.Federation.Core.Analytics;
using FederatedCare.NodeAgent.Analysis;
using FederatedCare.Protos.V1;
using Google.Protobuf;

namespace FederatedCare.NodeAgent.Tests.Analysis;

/// <summary>
/// The node handlers of the Table 1 step on a region's prepared analysis data: the summary equals the rows' own
/// figures, and the quantile handler, driven by the coordinator's protocol through serialised tasks, gives the rows'
/// own quartiles while refusing thresholds off the protocol.
/// </summary>
public sealed class Table1HandlersTests
{
    private static readonly Lazy<AnalysisData> Halland = new(() => SurvivalData.Prepare("halland"));

    private static readonly Table1Spec Spec = SurvivalData.Spec.Analysis.Steps.Single(s => s.KindCase == AnalysisStep.KindOneofCase.Table1).Table1;

    private static AnalysisContext Context(AnalysisTask analysis, string job = "t1", int minCellCount = 10)
    {
        // Through the wire format, as a node receives it.
        var task = NodeTask.Parser.ParseFrom(new NodeTask { JobId = job, Schema = SurvivalData.Spec.Schema, Analysis = analysis }.ToByteArray());
        return new(task, Halland.Value, minCellCount, ReleaseExactEventTimes: false);
    }

    [Fact]
    public void The_summary_is_the_regions_rows_counts_means_and_M2_per_column()
    {
        var rows = BreastCancerRows.Train("halland");
        var answer = new Table1SummaryHandler().Answer(Context(new AnalysisTask { Table1Summary = new Table1SummaryRequest { Spec = Spec } })).Table1Summary;

        Assert.Equal(rows.Count, answer.Rows.Value);
        Assert.Equal(Spec.Numeric.Count, answer.Numeric.Count);
        foreach (var (column, summary) in Spec.Numeric.Zip(answer.Numeric))
        {
            var values = BreastCancerRows.Numbers(rows, column);
            double mean = values.Average();
            Assert.Equal(values.Length, summary.Count.Value);
            Assert.Equal(0, summary.Missing.Value);
            Assert.Equal(mean, summary.Mean, 1e-12 * Math.Max(1, Math.Abs(mean)));
            Assert.Equal(values.Sum(v => (v - mean) * (v - mean)), summary.SumOfSquaredDeviations, 1e-9 * summary.SumOfSquaredDeviations);
        }
        var grade = answer.Categorical[Spec.Categorical.ToList().FindIndex(c => c.Column == "grade")];
        Assert.Equal(new[] { "1", "2", "3" }.Select(l => (long)rows.Count(r => r["grade"] == l)), grade.Levels.Select(l => l.Value));
        var rfs = answer.Categorical[Spec.Categorical.ToList().FindIndex(c => c.Column == "rfs")];
        Assert.Equal(new[] { "0", "1" }.Select(l => (long)rows.Count(r => r["rfs"] == l)), rfs.Levels.Select(l => l.Value));
    }

    [Fact]
    public void Small_counts_are_suppressed_by_the_region()
    {
        // Halland has no grade 1, 206 rows of grade 2 and 484 of grade 3: with a minimum of 300, 0 is released, 206 is
        // withheld, and 484 with it (the rows' count less the others would give 206).
        var spec = new Table1Spec { Categorical = { new Table1Category { Column = "grade", Levels = { "1", "2", "3" } } } };
        var answer = new Table1SummaryHandler().Answer(Context(new AnalysisTask { Table1Summary = new Table1SummaryRequest { Spec = spec } }, minCellCount: 300)).Table1Summary;
        var levels = answer.Categorical[0].Levels;
        Assert.Equal(690, answer.Rows.Value);
        Assert.Equal(new[] { false, true, true }, levels.Select(l => l.Suppressed));
        Assert.All(levels, l => Assert.Equal(0, l.Value));
    }

    [Fact]
    public void The_quantile_handler_under_the_coordinators_protocol_gives_the_rows_own_quartiles()
    {
        var rows = BreastCancerRows.Train("halland");
        var summary = new Table1SummaryHandler().Answer(Context(new AnalysisTask { Table1Summary = new Table1SummaryRequest { Spec = Spec } })).Table1Summary;
        var release = new Table1Release(summary.Rows.Value,
            [.. Spec.Numeric.Zip(summary.Numeric).Select(x => new NumericRelease(x.First, new Moments(x.Second.Count.Value, x.Second.Mean, x.Second.SumOfSquaredDeviations), 0))], []);
        var protocol = new Table1QuantileProtocol([("Halland", release)]);
        var handler = new QuantileCountsHandler();
        while (!protocol.IsComplete)
        {
            Assert.True(protocol.Rounds < Table1Phase.MaxQuantileRounds);
            var answer = handler.Answer(Context(Task(protocol.Questions("Halland")))).QuantileCounts;
            protocol.Answer(new Dictionary<string, IReadOnlyList<long>> { ["Halland"] = [.. answer.Counts] });
        }
        var results = protocol.Results();
        foreach (var column in Spec.Numeric)
        {
            var values = BreastCancerRows.Numbers(rows, column);
            Assert.Equal(TypeSeven(values, 0.5), results[(column, "Halland")].Median);
            Assert.Equal(TypeSeven(values, 0.25), results[(column, Table1.AllRegions)].Q1);
            Assert.Equal(TypeSeven(values, 0.75), results[(column, Table1.AllRegions)].Q3);
        }
    }

    [Fact]
    public void The_quantile_handler_refuses_thresholds_off_the_protocol_and_changed_columns_per_job_and_step()
    {
        var handler = new QuantileCountsHandler();
        QuantileQuestion first = new("age", Pooled: false, Path: 0, Threshold: -0.0);
        Assert.Single(handler.Answer(Context(Task([first]))).QuantileCounts.Counts);
        // The same path again is not its next bisection step.
        Assert.Throws<AnalysisRefusedException>(() => handler.Answer(Context(Task([first]))));
        // Another job (or step) has its own responder; a threshold that does not start a bisection is refused there.
        Assert.Single(handler.Answer(Context(Task([first]), job: "other")).QuantileCounts.Counts);
        Assert.Throws<AnalysisRefusedException>(() => handler.Answer(Context(Task([first with { Threshold = 50 }]), job: "third")));
        // The step's columns cannot change between rounds.
        var changed = Task([first with { Path = 1 }]);
        changed.QuantileCounts.Numeric.RemoveAt(0);
        Assert.Throws<AnalysisRefusedException>(() => handler.Answer(Context(changed)));
    }

    private static AnalysisTask Task(IEnumerable<QuantileQuestion> questions)
    {
        var request = new QuantileCountsRequest { Numeric = { Spec.Numeric } };
        request.Questions.AddRange(questions.Select(q => new QuantileThreshold { Variable = q.Variable, Pooled = q.Pooled, Path = q.Path, Threshold = q.Threshold }));
        return new AnalysisTask { QuantileCounts = request };
    }

    private static double TypeSeven(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        double h = (sorted.Length - 1) * p;
        int lo = (int)h, hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
