using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Data.Tabular;
using FederatedCare.NodeAgent.Extensions;
using FederatedCare.NodeAgent.Options;
using FederatedCare.Protos.V1;
using Microsoft.Extensions.Configuration;

namespace FederatedCare.NodeAgent.Tests.Data.Tabular;

/// <summary>
/// Örebro's own extract (<c>orebro-raw.csv</c>: ';', its own column names, pre/post, ja/nej, tumour size in mm) read
/// through the shipped example node configuration's mapping is, cell for cell, the common <c>orebro.csv</c>.
/// </summary>
public sealed class OrebroRawMappingTests
{
    private const string Dataset = "breast-cancer-survival";

    [Fact]
    public void The_example_mapping_passes_the_agents_start_checks()
    {
        var options = ExampleConfig();

        Assert.Empty(new NodeAgentOptionsValidator().Validate(null, options).Failures ?? []);
        Assert.Equal(10, options.Datasets[Dataset].Mapping.Columns.Count);
    }

    [Fact]
    public void The_raw_extract_read_through_its_mapping_is_orebro_csv_cell_for_cell()
    {
        var mapped = TableFile.Read(ExampleConfig().Datasets[Dataset]);
        var common = TableFile.Read(Common());

        Assert.Equal(common.Columns, mapped.Columns);
        Assert.Equal(686, mapped.Rows.Count);
        Assert.Equal(common.Rows.Count, mapped.Rows.Count);
        for (int r = 0; r < common.Rows.Count; r++)
            Assert.True(common.Rows[r].SequenceEqual(mapped.Rows[r]),
                $"row {r + 1}: orebro.csv has [{string.Join(",", common.Rows[r])}], the mapped extract [{string.Join(",", mapped.Rows[r])}]");
    }

    [Fact]
    public void A_job_prepared_from_the_raw_extract_trains_on_the_same_matrices_as_from_orebro_csv()
    {
        var schema = Schema();
        var raw = TabularPreparer.Prepare(Dataset, ExampleConfig().Datasets[Dataset], schema, null);
        var common = TabularPreparer.Prepare(Dataset, Common(), schema, null);

        Assert.Equal(common.Data!.FeatureNames, raw.Data!.FeatureNames);
        Assert.Equal(common.Data.Train.Features, raw.Data.Train.Features);
        Assert.Equal(common.Data.Train.Labels, raw.Data.Train.Labels);
        Assert.Equal(common.Data.Test.Features, raw.Data.Test.Features);
        Assert.Equal(common.Data.Test.Labels, raw.Data.Test.Labels);
        Assert.Equal(common.Statistics, raw.Statistics);
    }

    private static DatasetOptions Common() => new()
    {
        Format = DatasetFormats.Csv,
        Path = Path.Combine(Root, "data", "breast-cancer-survival", "orebro.csv"),
        SplitColumn = "split", // as the demo's Örebro configuration: the shipped train/test assignment
    };

    // The survival columns as a binary label (rfs) and plain features: enough to exercise every mapped column.
    private static DatasetSchema Schema() => new()
    {
        Features =
        {
            new FeatureColumn { Name = "age", Type = ColumnType.Numeric },
            new FeatureColumn { Name = "meno", Type = ColumnType.Boolean },
            new FeatureColumn { Name = "size", Type = ColumnType.Categorical, Levels = { "<=20", "20-50", ">50" } },
            new FeatureColumn { Name = "grade", Type = ColumnType.Numeric },
            new FeatureColumn { Name = "nodes", Type = ColumnType.Numeric },
            new FeatureColumn { Name = "pgr", Type = ColumnType.Numeric },
            new FeatureColumn { Name = "er", Type = ColumnType.Numeric },
            new FeatureColumn { Name = "hormon", Type = ColumnType.Boolean },
            new FeatureColumn { Name = "rfstime", Type = ColumnType.Numeric },
        },
        Label = new LabelColumn { Name = "rfs", Task = LabelTask.Binary, PositiveAbove = 0 },
        IgnoredColumns = { "pid", "split" },
        Normalization = new Normalization { Kind = NormalizationKind.ZscoreLocal, SampleStd = true, Epsilon = 1e-9 },
        ShareLabelCounts = true,
    };

    /// <summary>The example node configuration bound as the agent binds it (--config, unknown keys refused, paths relative to the file).</summary>
    private static NodeAgentOptions ExampleConfig()
    {
        var configuration = new ConfigurationManager();
        configuration.AddCommandLine([]);
        ConfigFile.Add(configuration, ["--config", Path.Combine(Root, "examples", "breast-cancer-survival", "nodes", "orebro.json")]);
        var options = new NodeAgentOptions();
        configuration.GetSection(NodeAgentOptions.SectionName).Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        ConfigFile.ResolvePaths(options);
        return options;
    }

    private static string Root => GenericHeartDiseaseTests.Root;
}
