using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Data.Tabular;
using FederatedCare.NodeAgent.Options;
using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Tests.Data.Tabular;

/// <summary>
/// A binary label named by its positive level: a 0/1 column works, and a value that is neither the positive level
/// nor another declared level is refused with its line instead of silently counting as a negative.
/// </summary>
public sealed class BinaryLabelLevelTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static DatasetSchema Schema(params string[] levels) => new()
    {
        Features = { new FeatureColumn { Name = "age", Type = ColumnType.Numeric } },
        Label = new LabelColumn { Name = "rfs", Task = LabelTask.Binary, PositiveLevel = "1", Levels = { levels } },
        Normalization = new Normalization { Kind = NormalizationKind.None },
    };

    private static string Rows(params string[] labels) => "age,rfs\n" + string.Join("\n", labels.Select((l, i) => $"{40 + i},{l}")) + "\n";

    [Fact]
    public void A_zero_one_label_named_by_positive_level_gives_its_values()
    {
        var labels = new[] { "0", "1", "1", "0", "1.0", "0", "0", "1", "0", "1", "0", "1" };
        var options = Options(Rows(labels));

        var data = TabularPreparer.Prepare("d", options, Schema("0", "1"), null).Data!;

        Assert.Equal([0f, 1f, 1f, 0f, 1f, 0f, 0f, 1f, 0f, 1f, 0f, 1f], data.Train.Labels);
    }

    [Fact]
    public void A_value_that_is_no_declared_level_is_refused_with_its_line()
    {
        var options = Options(Rows("0", "1", "2", "0", "1", "0", "1", "0", "1", "0", "1", "0"));

        var error = Assert.Throws<DataFileException>(() => TabularPreparer.Prepare("d", options, Schema("0", "1"), null));

        Assert.Equal((4, "column 'rfs' (label)"), (error.LineNumber!.Value, error.Field));
        Assert.Contains("'2' is neither the positive level nor another declared level (levels: 0, 1)", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_declared_levels_a_negative_cannot_be_told_from_a_wrong_value()
    {
        var options = Options(Rows("0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1"));

        var error = Assert.Throws<DataFileException>(() => TabularPreparer.Prepare("d", options, Schema(), null));

        Assert.Contains("declares no other levels", error.Detail, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private DatasetOptions Options(string content) => new()
    {
        Format = DatasetFormats.Csv,
        Path = _dir.Write("labels.csv", content),
        TestFraction = 0,
    };
}
