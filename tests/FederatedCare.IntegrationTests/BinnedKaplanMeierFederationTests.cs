using System.Globalization;
using FederatedCare.Federation.Core.Analytics;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace FederatedCare.IntegrationTests;

/// <summary>
/// Kaplan–Meier in binned mode and Table 1 over real loopback gRPC with four real node agents on the shipped
/// breast-cancer survival data: what crossed the wire from the regions is recorded — per time bin counts of rows at
/// risk, events and censored rows (never a time), Table 1's summaries and the quantile protocol's counts, never a row.
/// The regions' configurations allow exact times; the job asks for bins, so none is sent.
/// </summary>
public sealed class BinnedKaplanMeierFederationTests
{
    private static readonly string[] Files = ["halland", "karolinska", "sahlgrenska", "orebro"];

    private const double BinWidth = 30.4375;

    [Fact]
    public async Task A_binned_Kaplan_Meier_and_Table_1_over_gRPC_release_no_exact_time_and_no_row()
    {
        var examples = Path.Combine(RepositoryPaths.Root, "examples", "breast-cancer-survival");
        await using var federation = await Federation.StartAsync(Files.Select(f => (string[])["--config", Path.Combine(examples, "nodes", f + ".json")]).ToList());
        var spec = JobSpecFile.Load(Path.Combine(examples, "cox.json"));
        var table1 = spec.Analysis.Steps.Single(s => s.KindCase == AnalysisStep.KindOneofCase.Table1);
        spec.Analysis.Steps.Clear();
        spec.Analysis.Steps.Add(new AnalysisStep { KaplanMeier = new KaplanMeierSpec { BinWidth = BinWidth, SummaryYears = { 1, 2, 5, 10 } } });
        spec.Analysis.Steps.Add(table1);

        var status = await federation.RunJobAsync(spec, TimeSpan.FromMinutes(3));

        Assert.True(status.State == JobState.Succeeded, status.Message);
        var results = (await federation.Research.GetAnalysisResultsAsync(new GetAnalysisResultsRequest { JobId = status.JobId })).Results;
        var train = Files.SelectMany(TrainRows).ToList();

        // Binned mode is the Kaplan–Meier of the times rounded up to their bin's end.
        var expected = KaplanMeier.Fit(SurvivalCounts.FromExact(
            [.. train.Select(r => BinEnd(r.Time)).Distinct().Order()],
            [.. train.GroupBy(r => BinEnd(r.Time)).OrderBy(g => g.Key).Select(g => (long)g.Count(r => r.Event))],
            [.. train.GroupBy(r => BinEnd(r.Time)).OrderBy(g => g.Key).Select(g => (long)g.Count(r => !r.Event))]))
            .At([.. new[] { 1.0, 2, 5, 10 }.Select(y => y * 365.25)]);
        var km = results.Single(r => r.Kind == "km").Tables.Single(t => t.Name == "km");
        int survival = km.Columns.IndexOf("survival");
        Assert.Equal(expected.Select(e => e.Survival), km.Rows.Select(r => double.Parse(r.Cells[survival], CultureInfo.InvariantCulture)), (a, b) => Math.Abs(a - b) <= 1e-12);

        // Table 1's pooled median age is the pooled rows' own (type 7).
        var t1 = results.Single(r => r.Kind == Table1Phase.Name).Tables.Single();
        var median = t1.Rows.Single(r => r.Cells[0] == "age" && r.Cells[2] == "median" && r.Cells[3] == Table1.AllRegions).Cells[4];
        Assert.Equal(TypeSeven([.. train.Select(r => r.Age)], 0.5), double.Parse(median, CultureInfo.InvariantCulture));

        var times = train.Select(r => r.Time).ToHashSet();
        int bins = 0, summaries = 0, quantileRounds = 0;
        foreach (var (method, message) in federation.Recorder.Received.Where(r => r.Method.StartsWith("/federatedcare.v1.Federation/", StringComparison.Ordinal)))
        {
            switch (message)
            {
                case RegisterRequest or WaitForTaskRequest or HeartbeatRequest:
                    break;
                case ReportStatisticsRequest r:
                    Assert.Empty(r.Statistics.Columns);
                    Assert.Empty(r.Statistics.LabelCounts);
                    break;
                case ReportAnalysisRequest { Answer.KindCase: AnalysisAnswer.KindOneofCase.SurvivalCounts } r:
                    // Bin indices and counts; the only real number is the bin width.
                    var counts = r.Answer.SurvivalCounts;
                    Assert.Empty(counts.Times);
                    Assert.All(Doubles(r), d => Assert.Equal(BinWidth, d));
                    Assert.Equal(counts.Bins.Count, counts.AtRisk.Count);
                    Assert.Equal(counts.Bins.Count, counts.Events.Count);
                    Assert.Equal(counts.Bins.Count, counts.Censored.Count);
                    Assert.Contains(counts.AtRisk[0], new long[] { 549, 690, 844, 851 });
                    bins++;
                    break;
                case ReportAnalysisRequest { Answer.KindCase: AnalysisAnswer.KindOneofCase.Table1Summary } r:
                    // Per column counts, and per numeric column a mean and M2 — no time, a handful of numbers.
                    var summary = r.Answer.Table1Summary;
                    Assert.Equal(table1.Table1.Numeric.Count, summary.Numeric.Count);
                    Assert.Equal(table1.Table1.Categorical.Count, summary.Categorical.Count);
                    Assert.Equal(2 * table1.Table1.Numeric.Count, Doubles(r).Count);
                    Assert.DoesNotContain(Doubles(r), times.Contains);
                    summaries++;
                    break;
                case ReportAnalysisRequest { Answer.KindCase: AnalysisAnswer.KindOneofCase.QuantileCounts } r:
                    // Counts of values at or below the thresholds asked, nothing else.
                    Assert.Empty(Doubles(r));
                    Assert.All(r.Answer.QuantileCounts.Counts, c => Assert.InRange(c, 0, 851));
                    quantileRounds++;
                    break;
                default:
                    Assert.Fail($"{method} carried an unexpected {message.GetType().Name}");
                    break;
            }
        }
        Assert.Equal(4, bins);
        Assert.Equal(4, summaries);
        Assert.InRange(quantileRounds, 4, 4 * Table1Phase.MaxQuantileRounds);
    }

    private static double BinEnd(double time) => (Math.Floor(time / BinWidth) + 1) * BinWidth;

    private static double TypeSeven(double[] values, double p)
    {
        Array.Sort(values);
        double h = (values.Length - 1) * p;
        int lo = (int)h, hi = Math.Min(lo + 1, values.Length - 1);
        return values[lo] + (h - lo) * (values[hi] - values[lo]);
    }

    private static IEnumerable<(double Time, bool Event, double Age)> TrainRows(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "data", "breast-cancer-survival", file + ".csv"));
        var header = lines[0].Split(',').ToList();
        int time = header.IndexOf("rfstime"), rfs = header.IndexOf("rfs"), age = header.IndexOf("age"), split = header.IndexOf("split");
        return lines.Skip(1).Select(l => l.Split(',')).Where(c => c[split] == "train")
            .Select(c => (double.Parse(c[time], CultureInfo.InvariantCulture), c[rfs] == "1", double.Parse(c[age], CultureInfo.InvariantCulture)));
    }

    // Every double and float value anywhere in the message.
    private static List<double> Doubles(IMessage message)
    {
        var found = new List<double>();
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            var values = field.IsRepeated ? ((System.Collections.IEnumerable)value).Cast<object>() : field.FieldType != FieldType.Message || field.Accessor.HasValue(message) ? [value] : [];
            foreach (var v in values)
                switch (field.FieldType)
                {
                    case FieldType.Double: found.Add((double)v); break;
                    case FieldType.Float: found.Add((float)v); break;
                    case FieldType.Message when v is IMessage inner: found.AddRange(Doubles(inner)); break;
                }
        }
        return found;
    }
}
