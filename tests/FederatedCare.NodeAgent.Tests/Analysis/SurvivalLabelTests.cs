using FederatedCare.NodeAgent.Analysis;
using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Data.Tabular;
using FederatedCare.NodeAgent.Options;
using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Tests.Analysis;

/// <summary>A survival label checked like every other column, the split column, and the event-stratified split.</summary>
public sealed class SurvivalLabelTests
{
    private const string Header = "pid,age,size,rfstime,rfs,split\n";

    private static DatasetSchema Schema() => new()
    {
        Features =
        {
            new FeatureColumn { Name = "age", Type = ColumnType.Numeric },
            new FeatureColumn { Name = "size", Type = ColumnType.Categorical, Levels = { "<=20", "20-50", ">50" } },
        },
        Label = new LabelColumn { Name = "rfstime", Task = LabelTask.Survival, EventColumn = "rfs" },
        IgnoredColumns = { "pid" },
    };

    private static string Rows(int n, Func<int, string> row) => Header + string.Concat(Enumerable.Range(0, n).Select(i => row(i) + "\n"));

    private static AnalysisData Prepare(TempDir dir, string csv, string splitColumn = "split", int minRows = 1) =>
        AnalysisDataPreparer.Prepare("s", new DatasetOptions { Format = "csv", Path = dir.Write("region.csv", csv), SplitColumn = splitColumn, MinRows = minRows }, Schema());

    [Fact]
    public void A_negative_time_is_refused_naming_file_column_and_line()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<DataFileException>(() => Prepare(dir, Rows(5, i => $"{i},50,<=20,{(i == 2 ? "-3" : "100")},1,train")));
        Assert.Equal("region.csv:4: column 'rfstime' (survival time): a negative time; survival times are >= 0.", e.ForCoordinator());
    }

    [Fact]
    public void An_event_other_than_0_or_1_is_refused_naming_file_column_and_line()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<DataFileException>(() => Prepare(dir, Rows(5, i => $"{i},50,<=20,100,{(i == 3 ? "2" : "1")},train")));
        Assert.Contains("region.csv:5: column 'rfs' (survival event):", e.Message);
        Assert.Contains("is not an event indicator (1: the event was observed, 0: censored)", e.Message);
    }

    [Fact]
    public void A_region_without_an_event_among_its_training_rows_is_refused()
    {
        using var dir = new TempDir();
        // The one event is a test row.
        var e = Assert.Throws<DataFileException>(() => Prepare(dir, Rows(6, i => $"{i},50,<=20,100,{(i == 5 ? 1 : 0)},{(i == 5 ? "test" : "train")}")));
        Assert.Equal("region.csv: column 'rfs': no event among the 5 training rows (every one is censored); a survival job needs at least one.", e.ForCoordinator());
    }

    [Fact]
    public void A_training_job_refuses_a_region_without_events_too_and_its_splits_carry_the_times()
    {
        using var dir = new TempDir();
        var schema = Schema();
        var options = new DatasetOptions { Format = "csv", Path = dir.Write("region.csv", Rows(6, i => $"{i},50,<=20,100,{(i == 5 ? 1 : 0)},{(i == 5 ? "test" : "train")}")), SplitColumn = "split", MinRows = 1 };
        var e = Assert.Throws<DataFileException>(() => TabularPreparer.Prepare("s", options, schema, null));
        Assert.Equal("region.csv: column 'rfs': no event among the 5 training rows (every one is censored); a survival job needs at least one.", e.ForCoordinator());

        options.Path = dir.Write("events.csv", Rows(6, i => $"{i},{40 + i},<=20,{100 + i},{i % 2},{(i < 4 ? "train" : "test")}"));
        var data = TabularPreparer.Prepare("s", options, schema, null).Data!;
        Assert.Equal([100.0, 101, 102, 103], data.Train.RequireTimes());
        Assert.Equal([0f, 1, 0, 1], data.Train.Labels);
        Assert.Equal([104.0, 105], data.Test.RequireTimes());
    }

    [Fact]
    public void The_split_column_assigns_rows_is_not_a_feature_and_refuses_other_values()
    {
        using var dir = new TempDir();
        var data = Prepare(dir, Rows(6, i => $"{i},{40 + i},{(i % 2 == 0 ? "20-50" : ">50")},{100 + i},{i % 2},{(i < 4 ? "train" : "TEST")}"));
        Assert.Equal(["age", "size20-50", "size>50"], data.Terms);
        Assert.Equal((4, 2), (data.Train.Count, data.Test.Count));
        Assert.Equal([40.0, 1, 0], data.Train.Covariates[0]);
        Assert.Equal([100.0, 101, 102, 103], data.Train.Times);
        Assert.Equal([false, true, false, true], data.Train.Events);
        var e = Assert.Throws<DataFileException>(() => Prepare(dir, Rows(3, i => $"{i},50,<=20,100,1,{(i == 1 ? "validation" : "train")}")));
        Assert.Contains("region.csv:3: column 'split' (SplitColumn):", e.Message);
        Assert.Throws<DataFileException>(() => Prepare(dir, Rows(3, i => $"{i},50,<=20,100,1,train"), splitColumn: "age"));
    }

    [Fact]
    public void Without_a_split_column_the_node_holds_out_a_fifth_of_the_events_and_a_fifth_of_the_censored_rows()
    {
        using var dir = new TempDir();
        // 30 events and 70 censored rows; "split" is then an ignored column of the schema, not the region's split.
        var schema = Schema();
        schema.IgnoredColumns.Add("split");
        var options = new DatasetOptions { Format = "csv", Path = dir.Write("r.csv", Rows(100, i => $"{i},50,<=20,{i + 1},{(i % 10 < 3 ? 1 : 0)},train")), MinRows = 1 };
        var data = AnalysisDataPreparer.Prepare("s", options, schema);
        Assert.Equal((6, 14), (data.Test.EventCount, data.Test.Count - data.Test.EventCount));
        Assert.Equal(80, data.Train.Count);
    }
}
