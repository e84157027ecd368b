using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Data.Tabular;
using FederatedCare.NodeAgent.Options;

namespace FederatedCare.NodeAgent.Tests.Data.Tabular;

/// <summary>
/// The region-side mapping, cell by cell: renames, recoding (an unmapped value refused with file, column and line
/// unless kept), unit factors written back in the file's number format, cuts closed on the side configured, missing
/// cells left missing.
/// </summary>
public sealed class ColumnMapperTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public void Renames_recodes_scales_and_cuts_and_leaves_missing_cells_missing()
    {
        var options = Csv("extract.csv", "id;kön;längd_cm;tumör_mm\n1;k;172,5;20\n2;m;NA;20,5\n3;NA;180;50\n");
        options.Mapping.Columns["kön"] = new ColumnMappingOptions { Rename = "sex", Values = { ["k"] = "female", ["m"] = "male" } };
        options.Mapping.Columns["längd_cm"] = new ColumnMappingOptions { Rename = "height_mm", Factor = 10 };
        options.Mapping.Columns["tumör_mm"] = new ColumnMappingOptions
        {
            Rename = "size",
            Cut = new CutOptions { Breaks = [20, 50], Closed = CutOptions.Right, Levels = ["<=20", "20-50", ">50"] },
        };

        var table = TableFile.Read(options);

        Assert.Equal(["id", "sex", "height_mm", "size"], table.Columns);
        Assert.Equal("1|female|1725|<=20", Cells(table.Rows[0]));
        Assert.Equal("2|male|(missing)|20-50", Cells(table.Rows[1]));
        Assert.Equal("3|(missing)|1800|20-50", Cells(table.Rows[2]));
    }

    [Theory]
    [InlineData(CutOptions.Right, "19.9", "low")]
    [InlineData(CutOptions.Right, "20", "low")]
    [InlineData(CutOptions.Right, "20.1", "high")]
    [InlineData(CutOptions.Left, "19.9", "low")]
    [InlineData(CutOptions.Left, "20", "high")]
    public void A_value_at_a_cut_point_falls_on_the_closed_side(string closed, string value, string level)
    {
        var options = Csv("cut.csv", $"x\n{value}\n", delimiter: ",", decimalSeparator: ".");
        options.Mapping.Columns["x"] = new ColumnMappingOptions { Cut = new CutOptions { Breaks = [20], Closed = closed, Levels = ["low", "high"] } };

        Assert.Equal(level, TableFile.Read(options).Rows[0][0]);
    }

    [Fact]
    public void A_factored_value_is_written_in_the_files_number_format_and_parses_back_exactly()
    {
        var options = Csv("dose.csv", "dose_g\n0,1\n2,25\n");
        options.Mapping.Columns["dose_g"] = new ColumnMappingOptions { Rename = "dose_mg", Factor = 1000 };

        var table = TableFile.Read(options);

        Assert.Equal(["100", "2250"], table.Rows.Select(r => r[0]));
        var third = Csv("third.csv", "x\n1\n");
        third.Mapping.Columns["x"] = new ColumnMappingOptions { Factor = 1.0 / 3 };
        var cell = TableFile.Read(third).Rows[0][0]!;
        Assert.Contains(",", cell, StringComparison.Ordinal);
        Assert.Equal(1.0 / 3, double.Parse(cell.Replace(',', '.'), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void An_unmapped_value_is_refused_naming_file_column_and_line_unless_kept()
    {
        var options = Csv("hormon.csv", "hormone_therapy\nja\nnej\nvet ej\n");
        options.Mapping.Columns["hormone_therapy"] = new ColumnMappingOptions { Rename = "hormon", Values = { ["ja"] = "1", ["nej"] = "0" } };

        var error = Assert.Throws<DataFileException>(() => TableFile.Read(options));

        Assert.Equal(options.Path, error.FilePath);
        Assert.Equal(4, error.LineNumber);
        Assert.Equal("column 'hormone_therapy'", error.Field);
        Assert.Contains("'vet ej' has no mapping", error.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("vet ej", error.ForCoordinator(), StringComparison.Ordinal);

        options.Mapping.Columns["hormone_therapy"].KeepUnmappedValues = true;
        Assert.Equal(["1", "0", "vet ej"], TableFile.Read(options).Rows.Select(r => r[0]));
    }

    [Fact]
    public void A_text_in_a_scaled_column_is_refused_with_its_line()
    {
        var options = Csv("size.csv", "tumour_mm\n12\nstor\n");
        options.Mapping.Columns["tumour_mm"] = new ColumnMappingOptions { Factor = 0.1 };

        var error = Assert.Throws<DataFileException>(() => TableFile.Read(options));

        Assert.Equal((3, "column 'tumour_mm'"), (error.LineNumber!.Value, error.Field));
        Assert.Contains("'stor' is not a number", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mapped_column_the_file_lacks_and_a_rename_onto_an_existing_column_are_refused()
    {
        var options = Csv("cols.csv", "a;b\n1;2\n");
        options.Mapping.Columns["c"] = new ColumnMappingOptions { Rename = "d" };
        var missing = Assert.Throws<DataFileException>(() => TableFile.Read(options));
        Assert.Equal("column 'c'", missing.Field);
        Assert.Contains("the file has: a, b", missing.Detail, StringComparison.Ordinal);

        options.Mapping.Columns.Clear();
        options.Mapping.Columns["a"] = new ColumnMappingOptions { Rename = "b" };
        var clash = Assert.Throws<DataFileException>(() => TableFile.Read(options));
        Assert.Contains("'a' and 'b' both column 'b'", clash.Detail, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private static string Cells(string?[] row) => string.Join("|", row.Select(c => c ?? "(missing)"));

    private DatasetOptions Csv(string name, string content, string delimiter = ";", string decimalSeparator = ",") => new()
    {
        Format = DatasetFormats.Csv,
        Path = _dir.Write(name, content),
        Delimiter = delimiter,
        DecimalSeparator = decimalSeparator,
    };
}
