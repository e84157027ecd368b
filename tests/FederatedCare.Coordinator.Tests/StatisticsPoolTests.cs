using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Coordinator.Jobs;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Tests;

public sealed class StatisticsPoolTests
{
    private static LocalStatistics Region(params double[] values)
    {
        var s = new LocalStatistics { TrainRows = values.Length };
        s.Columns.Add(new ColumnMoments { Name = "x", Count = values.Length, Sum = values.Sum(), SumOfSquares = values.Sum(v => v * v) });
        s.LabelCounts["1"] = values.Length;
        return s;
    }

    [Fact]
    public void Pooled_sums_give_the_mean_and_sample_std_of_all_rows_together()
    {
        double[] a = [1, 2, 3, 4], b = [10, 12];
        var all = a.Concat(b).ToArray();
        double mean = all.Average();
        double std = Math.Sqrt(all.Sum(v => (v - mean) * (v - mean)) / (all.Length - 1));

        var global = StatisticsPool.Pool(new Dictionary<string, LocalStatistics> { ["B"] = Region(b), ["A"] = Region(a) }, sampleStd: true);

        Assert.Equal(["x"], global.Columns);
        Assert.Equal(mean, global.Mean[0], 12);
        Assert.Equal(std, global.Std[0], 12);
        Assert.Equal(6, global.TotalRows);
        Assert.Equal(6, global.LabelCounts["1"]);
        Assert.Equal(["A", "B"], global.Regions);
    }

    [Fact]
    public void Regions_reporting_different_columns_are_an_error()
    {
        var other = Region(1, 2);
        other.Columns[0].Name = "y";
        var e = Assert.Throws<ArgumentException>(() => StatisticsPool.Pool(new Dictionary<string, LocalStatistics> { ["A"] = Region(1, 2), ["B"] = other }, true));
        Assert.Contains("region B reports the columns [y]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_schema_every_region_would_refuse_is_rejected_at_submission()
    {
        var schema = new DatasetSchema
        {
            Features = { new FeatureColumn { Name = "cp", Type = ColumnType.Categorical } },
            Label = new LabelColumn { Name = "num", Task = LabelTask.Binary, PositiveAbove = 0 },
        };
        Assert.Equal("spec.schema.features[0] (cp): a categorical column needs levels.", DatasetSchemaValidator.Validate(schema));
        schema.Features[0].Levels.Add(["1", "2"]);
        Assert.Null(DatasetSchemaValidator.Validate(schema));
        schema.Label.PositiveLevel = "1";
        Assert.Contains("exactly one of positive_above or positive_level", DatasetSchemaValidator.Validate(schema), StringComparison.Ordinal);
    }
}
