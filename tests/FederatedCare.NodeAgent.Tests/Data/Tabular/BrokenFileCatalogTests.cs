using System.Text;
using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Data.Tabular;
using FederatedCare.NodeAgent.Options;
using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Tests.Data.Tabular;

/// <summary>
/// A catalogue of broken data files: each is refused with a message naming the file, the column and the line, so the
/// node stays out of the job; files that are merely CRLF- or BOM-encoded read correctly.
/// </summary>
public sealed class BrokenFileCatalogTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static DatasetSchema Schema() => new()
    {
        Features =
        {
            new FeatureColumn { Name = "age", Type = ColumnType.Numeric, Min = 0, Max = 120 },
            new FeatureColumn { Name = "smoker", Type = ColumnType.Boolean },
            new FeatureColumn { Name = "county", Type = ColumnType.Categorical, Levels = { "N", "S", "W" } },
        },
        Label = new LabelColumn { Name = "y", Task = LabelTask.Binary, PositiveAbove = 0 },
        Normalization = new Normalization { Kind = NormalizationKind.ZscoreLocal, SampleStd = true, Epsilon = 1e-9 },
    };

    private const string Header = "age;smoker;county;y";

    private static string Good(int rows = 12, string nl = "\n") =>
        string.Join(nl, Enumerable.Range(0, rows).Select(i => $"{40 + i},{10 + i};{(i % 2 == 0 ? "ja" : "nej")};{"NSW"[i % 3]};{i % 2}"));

    public static TheoryData<string, string, string?, int?, string> Broken => new()
    {
        // name, content, expected column (null: whole file), expected line, expected text
        { "missing-column", "age;smoker;y\n" + "40;ja;1\n", "county", null, "missing column" },
        { "extra-column", Header + ";bmi\n" + "40;ja;N;1;22\n", "bmi", null, "extra column" },
        { "text-in-numeric", Header + "\n" + Good(3) + "\nabc;ja;N;1\n" + Good(10), "age", 5, "'abc' is not a number" },
        { "unknown-category", Header + "\n" + Good(2) + "\n41,5;ja;X;1\n", "county", 4, "unknown category 'X'" },
        { "out-of-range", Header + "\n" + "140;ja;N;1\n", "age", 2, "out of range" },
        { "bad-boolean", Header + "\n" + "40;kanske;N;1\n", "smoker", 2, "not a boolean" },
        { "all-missing-column", Header + "\n" + string.Join("\n", Enumerable.Range(0, 12).Select(i => $"NA;ja;N;{i % 2}")), "age", null, "has no values" },
        { "empty-file", "", null, null, "the file is empty" },
        { "header-only", Header + "\n", null, null, "no data rows" },
        { "duplicated-header", "age;smoker;age;y\n40;ja;41;1\n", null, 1, "names column 'age' twice" },
        { "wrong-delimiter", "age,smoker,county,y\n40,ja,N,1\n", "age", null, "missing column" },
        { "ragged-rows", Header + "\n" + Good(2) + "\n40;ja;N\n", null, 4, "expected 4 fields, found 3" },
        { "label-one-class", Header + "\n" + string.Join("\n", Enumerable.Range(0, 12).Select(i => $"{40 + i};ja;N;0")), "y", null, "only one class" },
        { "label-not-a-number", Header + "\n" + "40;ja;N;sjuk\n", "y", 2, "'sjuk' is not a number" },
        { "too-few-rows", Header + "\n" + Good(4), null, null, "fewer than the 10" },
        { "decimal-point-in-comma-file", Header + "\n" + "40.5;ja;N;1\n", "age", 2, "'40.5' is not a number" },
        { "empty-header-field", "age;;county;y\n40;ja;N;1\n", null, 1, "header field 2 is empty" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void A_broken_file_is_refused_with_file_column_and_line(string name, string content, string? column, int? line, string text)
    {
        var path = _dir.Write(name + ".csv", content);

        var e = Assert.Throws<DataFileException>(() => Prepare(path));

        Assert.Equal(path, e.FilePath);
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
        if (column is not null) Assert.Contains($"column '{column}'", e.Message, StringComparison.Ordinal);
        if (line is not null) Assert.Equal(line, e.LineNumber);
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_utf8_bytes_are_refused_naming_the_encoding()
    {
        var path = Path.Combine(_dir.Path, "latin1.csv");
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes(Header + "\n40;ja;N;1\n"), .. Encoding.Latin1.GetBytes("41;ja;Ö;1\n")]);

        var e = Assert.Throws<DataFileException>(() => Prepare(path));

        Assert.Contains("not valid utf-8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_refused()
    {
        var e = Assert.Throws<DataFileException>(() => Prepare(Path.Combine(_dir.Path, "nope.csv")));
        Assert.Contains("file not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Crlf_line_ends_and_a_byte_order_mark_read_like_the_plain_file()
    {
        var plain = Prepare(_dir.Write("plain.csv", Header + "\n" + Good(12) + "\n")).Data!;
        var crlf = Prepare(_dir.Write("crlf.csv", Header + "\r\n" + Good(12, "\r\n") + "\r\n")).Data!;
        var bomPath = Path.Combine(_dir.Path, "bom.csv");
        File.WriteAllText(bomPath, Header + "\r\n" + Good(12, "\r\n"), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var bom = Prepare(bomPath).Data!;

        Assert.Equal(["age", "smoker", "county_N", "county_S", "county_W"], plain.FeatureNames);
        foreach (var other in new[] { crlf, bom })
        {
            Assert.Equal(plain.Train.Features, other.Train.Features);
            Assert.Equal(plain.Test.Labels, other.Test.Labels);
        }
        Assert.Equal(12, plain.Train.Rows + plain.Test.Rows);
    }

    [Fact]
    public void Missing_values_are_dropped_imputed_or_flagged_as_the_schema_says()
    {
        var schema = Schema();
        schema.Features[0].Missing = new MissingValues { Strategy = MissingStrategy.Indicator };
        schema.Features[2].Missing = new MissingValues { Strategy = MissingStrategy.DropRow };
        schema.Normalization = new Normalization { Kind = NormalizationKind.None };
        var rows = Good(12).Split('\n').ToList();
        rows[0] = "NA;ja;N;0";
        rows[1] = "41;nej;NA;1";
        var options = Options(_dir.Write("missing.csv", Header + "\n" + string.Join("\n", rows)));
        options.TestFraction = 0;

        var prepared = TabularPreparer.Prepare("d", options, schema, null);

        Assert.Equal(11, prepared.Data!.Train.Rows);
        Assert.Equal(["age", "age_missing", "smoker", "county_N", "county_S", "county_W"], prepared.Data.FeatureNames);
        double meanAge = Enumerable.Range(2, 10).Average(i => 40 + i + (10 + i) / 100.0);
        Assert.Equal((float)meanAge, prepared.Data.Train[0, 0], 3);
        Assert.Equal(1f, prepared.Data.Train[0, 1]);
        Assert.Equal(1, prepared.Profile.RowsDropped);
        Assert.Equal(1, prepared.Profile.MissingPerColumn["county"]);
    }

    private static DatasetOptions Options(string path) => new()
    {
        Format = DatasetFormats.Csv,
        Path = path,
        Delimiter = ";",
        DecimalSeparator = ",",
        MinRows = 10,
        TestFraction = 0.2,
    };

    private static PreparedDataset Prepare(string path) => TabularPreparer.Prepare("d", Options(path), Schema(), null);

    public void Dispose() => _dir.Dispose();
}
