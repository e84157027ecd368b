using FederatedCare.Cli.Output;
using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Protos.V1;

namespace FederatedCare.IntegrationTests.Cli;

/// <summary>
/// What researchers read: metrics.csv carries AUC and F1 (and a regression job's RMSE, MAE, R², a Cox model's
/// C-index), and a regression or survival job never prints the "accuracy 0.0000" it does not have.
/// </summary>
public sealed class RegressionAndClassificationOutputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fc-cli-").FullName;

    private static RegionMetrics Classification(string region, double accuracy, double? auc, double f1) => new()
    {
        Region = region, Round = 3, Split = "test", NumExamples = 10, Loss = 0.5, Accuracy = accuracy,
        Extra = { auc is { } a ? new Dictionary<string, double> { ["auc"] = a, ["f1"] = f1 } : new Dictionary<string, double> { ["f1"] = f1 } },
    };

    private static RegionMetrics Regression(string region, double rmse) => new()
    {
        Region = region, Round = 3, Split = "test", NumExamples = 10, Loss = rmse * rmse,
        Extra = { ["rmse"] = rmse, ["mae"] = 0.25, ["r2"] = 0.5 },
    };

    private static RegionMetrics Survival(string region, double c) => new()
    {
        Region = region, Round = 3, Split = "test", NumExamples = 10, Loss = 0.75,
        Extra = { ["c_index"] = c },
    };

    [Fact]
    public void Metrics_csv_has_auc_and_f1_and_leaves_what_a_row_lacks_empty()
    {
        var path = Path.Combine(_dir, "metrics.csv");

        MetricsCsv.Write(path, [Classification("Örebro", 0.75, null, 0.5), Classification("Halland", 0.5, 0.625, 0.25)]);

        Assert.Equal(
        [
            "round,region,split,num_examples,loss,accuracy,auc,f1,rmse,mae,r2,c_index",
            "3,Halland,test,10,0.5,0.5,0.625,0.25,,,,",
            "3,Örebro,test,10,0.5,0.75,,0.5,,,,",
        ], File.ReadAllLines(path));
    }

    [Fact]
    public void A_regression_row_has_rmse_mae_and_r2_and_no_accuracy()
    {
        var path = Path.Combine(_dir, "metrics.csv");

        MetricsCsv.Write(path, [Regression("Halland", 1.5)]);

        Assert.Equal("3,Halland,test,10,2.25,,,,1.5,0.25,0.5,", File.ReadAllLines(path)[1]);
    }

    [Fact]
    public void A_survival_row_has_the_c_index_and_no_accuracy_in_metrics_and_cross_site_csv()
    {
        var metrics = Path.Combine(_dir, "metrics.csv");
        var crossSite = Path.Combine(_dir, "cross_site.csv");

        MetricsCsv.Write(metrics, [Survival("Halland", 0.6875)]);
        CrossSiteCsv.Write(crossSite, [new CrossSiteEntry { ModelLabel = "global", Metrics = Survival("Halland", 0.6875) }]);

        Assert.Equal("3,Halland,test,10,0.75,,,,,,,0.6875", File.ReadAllLines(metrics)[1]);
        Assert.Equal(["model,region,num_examples,loss,accuracy,auc,c_index", "global,Halland,10,0.75,,,0.6875"], File.ReadAllLines(crossSite));
    }

    [Fact]
    public void A_survival_round_line_job_message_and_tables_show_the_c_index_not_accuracy()
    {
        var round = new RoundSummary { Round = 3, Metrics = { Survival("Halland", 0.6875), Survival("Karolinska", 0.7125) } };

        var line = RoundLine.Format(round, TimeSpan.FromSeconds(2));
        var message = JobMessages.DescribeTest(Survival("*", 0.7), round.Metrics);

        Assert.Equal("round  3 | c_index Halland 0.6875  Karolinska 0.7125 | mean 0.7000 | 2.0 s", line);
        Assert.Equal("; test C-index 0.7000, loss 0.7500 (example-weighted, 2 regions)", message);
        Assert.Equal("c_index", HeadlineMetric.Name(round.Metrics));
        Assert.Null(MetricsChart.Value(round.Metrics[0], "accuracy"));
        Assert.Equal(0.6875, MetricsChart.Value(round.Metrics[0], "c_index"));
    }

    [Fact]
    public void A_regression_round_line_and_job_message_show_rmse_not_accuracy()
    {
        var round = new RoundSummary { Round = 3, Metrics = { Regression("Halland", 1.5), Regression("Karolinska", 2.5) } };

        var line = RoundLine.Format(round, TimeSpan.FromSeconds(2));
        var message = JobMessages.DescribeTest(Regression("*", 2), round.Metrics);

        Assert.Equal("round  3 | rmse Halland 1.5000  Karolinska 2.5000 | mean 2.0000 | 2.0 s", line);
        Assert.Equal("; test RMSE 2.0000, loss 4.0000 (example-weighted, 2 regions)", message);
        Assert.Null(MetricsChart.Value(round.Metrics[0], "accuracy"));
    }

    [Fact]
    public void A_classification_round_line_is_unchanged()
    {
        var round = new RoundSummary { Round = 3, Metrics = { Classification("Halland", 0.7596, 0.8, 0.7), Classification("Karolinska", 0.6966, 0.7, 0.6) } };

        Assert.Equal("round  3 | Halland 0.7596  Karolinska 0.6966 | mean 0.7281 | 2.1 s", RoundLine.Format(round, TimeSpan.FromSeconds(2.1)));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
