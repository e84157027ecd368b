using System.Text.Json.Nodes;
using FederatedCare.NodeAgent.Governance;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Microsoft.Extensions.Time.Testing;

namespace FederatedCare.NodeAgent.Tests.Governance;

/// <summary>Each release becomes one chained <c>released</c> entry that says what left, and nothing more.</summary>
public sealed class RegionReleaseAuditTests
{
    private static JsonObject Detail(string line) => JsonNode.Parse(line)!["detail"]!.AsObject();

    [Fact]
    public void An_update_is_recorded_with_its_hash_norm_and_num_examples()
    {
        var log = new RegionAuditLog(null, new FakeTimeProvider());
        var model = new ModelParameters([new NamedTensor("w", [2], [3f, 4f])]);
        var task = new NodeTask { JobId = "job-1", Round = 2, Fit = new FitTask { ClippingNorm = 1.5 } };

        new RegionReleaseAudit(log).UpdateReleased(task, new UpdateHeader { JobId = "job-1", Round = 2, Kind = UpdateKind.Delta, NumExamples = 120 }, model, DType.Float32);

        var entry = JsonNode.Parse(Assert.Single(log.Lines))!;
        Assert.Equal(RegionAuditActions.Released, entry["action"]!.GetValue<string>());
        Assert.Equal("job-1", entry["job_id"]!.GetValue<string>());
        var detail = entry["detail"]!.AsObject();
        Assert.Equal("update", detail["kind"]!.GetValue<string>());
        Assert.Equal(model.ComputeSha256(), detail["sha256"]!.GetValue<string>());
        Assert.Equal(5.0, detail["l2_norm"]!.GetValue<double>(), 12);
        Assert.Equal(120, detail["num_examples"]!.GetValue<long>());
        Assert.Equal(1.5, detail["dp_clipping_norm"]!.GetValue<double>());
    }

    [Fact]
    public void Statistics_metrics_and_analyses_are_recorded_by_kind_and_the_chain_verifies()
    {
        var log = new RegionAuditLog(null, new FakeTimeProvider());
        var audit = new RegionReleaseAudit(log);
        var task = new NodeTask { JobId = "job-1" };
        var statistics = new LocalStatistics { TrainRows = 199, Columns = { new ColumnMoments { Name = "age", Count = 199, Sum = 10787, SumOfSquares = 600000 } } };
        statistics.LabelCounts["1"] = 90;
        audit.StatisticsReleased(task, new ReportStatisticsRequest { JobId = "job-1", Statistics = statistics });
        audit.StatisticsReleased(task, new ReportStatisticsRequest { JobId = "job-1", Refusal = "a.csv:3: column 'age': not a number." });
        audit.MetricsReleased(task, new ReportMetricsRequest { JobId = "job-1", Round = 1, Metrics = { new RegionMetrics { Split = "test", NumExamples = 50, Loss = 0.5, Accuracy = double.NaN } } });
        audit.AnalysisReleased(task, new ReportAnalysisRequest { JobId = "job-1", Round = 3, Answer = new AnalysisAnswer { CoxIteration = new CoxIterationAnswer() } });

        var lines = log.Lines;
        Assert.True(RegionAuditLog.Verify(lines).Valid);
        var first = Detail(lines[0]);
        Assert.Equal("statistics", first["kind"]!.GetValue<string>());
        Assert.Equal(199, first["train_rows"]!.GetValue<long>());
        Assert.Equal(199, first["column_counts"]!["age"]!.GetValue<long>());
        Assert.Equal(90, first["label_counts"]!["1"]!.GetValue<long>());
        Assert.DoesNotContain("10787", lines[0], StringComparison.Ordinal); // the sums are in the message, not repeated here
        Assert.Equal("a.csv:3: column 'age': not a number.", Detail(lines[1])["refusal"]!.GetValue<string>());
        Assert.Equal("NaN", Detail(lines[2])["splits"]![0]!["accuracy"]!.GetValue<string>());
        Assert.Equal("CoxIteration", Detail(lines[3])["step"]!.GetValue<string>());
        Assert.Equal(64, Detail(lines[3])["sha256"]!.GetValue<string>().Length);
    }
}
