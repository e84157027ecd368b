using System.Text.Json;
using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Tests;

/// <summary>A job's global models carry their input columns and the federated normalisation, to apply them to a new patient.</summary>
public sealed class NormalizationExportTests
{
    private static DatasetSchema Schema(NormalizationKind kind, bool skipCategorical) => new()
    {
        Features =
        {
            new FeatureColumn { Name = "age", Type = ColumnType.Numeric },
            new FeatureColumn { Name = "ward", Type = ColumnType.Categorical, Levels = { "a", "b", "c" }, Encoding = CategoricalEncoding.OneHotDropFirst },
        },
        Label = new LabelColumn { Name = "y", Task = LabelTask.Regression },
        Normalization = new Normalization { Kind = kind, Epsilon = 1e-9, SampleStd = true, SkipCategorical = skipCategorical },
    };

    private static readonly GlobalStatistics Pooled = new() { Columns = { "age", "ward_b", "ward_c" }, Mean = { 60, 0.25, 0.5 }, Std = { 10, 0.4, 0.5 } };

    [Fact]
    public void Federated_z_score_records_columns_means_and_the_divisors_the_regions_used()
    {
        var metadata = NormalizationExport.Metadata(Schema(NormalizationKind.ZscoreFederated, skipCategorical: true), Pooled);

        Assert.Equal("NORMALIZATION_KIND_ZSCORE_FEDERATED", metadata[NormalizationExport.Kind]);
        Assert.Equal(["age", "ward_b", "ward_c"], JsonSerializer.Deserialize<string[]>(metadata[NormalizationExport.FeatureNames])!);
        Assert.Equal([60, 0, 0], JsonSerializer.Deserialize<double[]>(metadata[NormalizationExport.FeatureMean])!);
        Assert.Equal([10 + 1e-9, 1, 1], JsonSerializer.Deserialize<double[]>(metadata[NormalizationExport.FeatureScale])!);
        Assert.Equal([10, 0.4, 0.5], JsonSerializer.Deserialize<double[]>(metadata[NormalizationExport.FeatureStd])!);
        Assert.Contains("x' = (x - feature_mean) / feature_scale", metadata[NormalizationExport.Formula], StringComparison.Ordinal);

        var all = NormalizationExport.Metadata(Schema(NormalizationKind.ZscoreFederated, skipCategorical: false), Pooled);
        Assert.Equal([60, 0.25, 0.5], JsonSerializer.Deserialize<double[]>(all[NormalizationExport.FeatureMean])!);
    }

    [Fact]
    public void Local_z_score_records_only_the_columns_and_why_and_no_schema_records_nothing()
    {
        var metadata = NormalizationExport.Metadata(Schema(NormalizationKind.ZscoreLocal, skipCategorical: false), null);

        Assert.Equal("NORMALIZATION_KIND_ZSCORE_LOCAL", metadata[NormalizationExport.Kind]);
        Assert.False(metadata.ContainsKey(NormalizationExport.FeatureMean));
        Assert.Contains("own training statistics", metadata[NormalizationExport.Formula], StringComparison.Ordinal);
        Assert.Empty(NormalizationExport.Metadata(null, null));
    }
}
