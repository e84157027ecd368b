using FederatedCare.NodeAgent.Data;

namespace FederatedCare.NodeAgent.Tests.Data;

public sealed class DataFileErrorTests
{
    private const string Good = "63,1,1,145,233,1,2,150,0,2.3,3,0,6,0\n";

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = Path.Combine(Path.GetTempPath(), "does-not-exist", "processed.nowhere.data");
        var e = Assert.Throws<DataFileException>(() => UciHeartDiseaseFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void A_missing_split_file_is_named()
    {
        using var dir = new TempDir();
        var data = dir.Write("a.data", Good);
        var split = Path.Combine(dir.Path, "missing.csv");
        var e = Assert.Throws<DataFileException>(() => UciHeartDiseaseLoader.Load("a", data, split));
        Assert.Contains(split, e.Message);
    }

    [Fact]
    public void A_wrong_field_count_names_file_and_line()
    {
        using var dir = new TempDir();
        var path = dir.Write("a.data", Good + Good + "63,1,1,145,233,1,2,150,0,2.3,3,0,6\n");
        var e = Assert.Throws<DataFileException>(() => UciHeartDiseaseFile.Read(path));
        Assert.Equal(path, e.FilePath);
        Assert.Equal(3, e.LineNumber);
        Assert.StartsWith($"{path}:3:", e.Message);
        Assert.Contains("13", e.Message);
    }

    [Fact]
    public void Text_in_a_numeric_field_names_file_line_and_field()
    {
        using var dir = new TempDir();
        var path = dir.Write("a.data", Good + "63,1,1,high,233,1,2,150,0,2.3,3,0,6,0\n");
        var e = Assert.Throws<DataFileException>(() => UciHeartDiseaseFile.Read(path));
        Assert.Equal(2, e.LineNumber);
        Assert.Equal("field 4 (trestbps)", e.Field);
        Assert.Contains($"{path}:2: field 4 (trestbps)", e.Message);
        Assert.Contains("'high'", e.Message);
    }

    [Fact]
    public void A_decimal_comma_is_not_a_number()
    {
        using var dir = new TempDir();
        var path = dir.Write("a.data", "63;1;1;145;233;1;2;150;0;2,3;3;0;6;0\n");
        Assert.Throws<DataFileException>(() => UciHeartDiseaseFile.Read(path));
    }

    [Theory]
    [InlineData("63,1,5,145,233,1,2,150,0,2.3,3,0,6,0", "field 3 (cp)")]
    [InlineData("63,1,1,145,233,1,3,150,0,2.3,3,0,6,0", "field 7 (restecg)")]
    [InlineData("63,1,1,145,233,1,2,150,0,2.3,3,0,6,?", "field 14 (num)")]
    [InlineData("63,1,1,145,233,1,2,150,0,2.3,3,0,6,-1", "field 14 (num)")]
    public void Out_of_range_categories_are_refused(string line, string field)
    {
        using var dir = new TempDir();
        var path = dir.Write("a.data", line + "\n");
        var e = Assert.Throws<DataFileException>(() => UciHeartDiseaseFile.Read(path));
        Assert.Equal(field, e.Field);
        Assert.Equal(1, e.LineNumber);
    }

    [Fact]
    public void A_split_row_that_does_not_exist_names_the_split_file_and_line()
    {
        using var dir = new TempDir();
        var data = dir.Write("a.data", Good + Good + Good);
        var split = dir.Write("split.csv", "center,file,split,row_index\n0,a.data,train,0\n0,a.data,train,1\n0,a.data,test,3\n");
        var e = Assert.Throws<DataFileException>(() => UciHeartDiseaseLoader.Load("a", data, split));
        Assert.Equal(split, e.FilePath);
        Assert.Equal(4, e.LineNumber);
        Assert.Contains("row 3 does not exist", e.Message);
    }

    [Fact]
    public void A_split_file_without_rows_for_the_data_file_is_refused()
    {
        using var dir = new TempDir();
        var data = dir.Write("a.data", Good);
        var split = dir.Write("split.csv", "center,file,split,row_index\n0,b.data,train,0\n");
        var e = Assert.Throws<DataFileException>(() => UciHeartDiseaseLoader.Load("a", data, split));
        Assert.Contains("a.data", e.Message);
    }

    [Fact]
    public void What_leaves_the_region_names_file_line_and_column_but_no_folder_and_no_cell_value()
    {
        var row = new DataFileException("/secure/extracts/gotland.csv", 8, "'hög' is not a number (decimal separator ',')", "column 'Dose'");
        Assert.Equal("/secure/extracts/gotland.csv:8: column 'Dose': 'hög' is not a number (decimal separator ',')", row.Message);
        Assert.Equal("gotland.csv:8: column 'Dose': " + DataFileException.CellProblem, row.ForCoordinator());
        var kind = new DataFileException("/secure/extracts/gotland.csv", 8, "3.861 is out of range [100, 3000].", "column 'Dose'", outside: "out of the schema's range.");
        Assert.Equal("gotland.csv:8: column 'Dose': out of the schema's range.", kind.ForCoordinator());
        Assert.Contains("3.861", kind.Message);

        // A problem of the whole file quotes column names, not cell values: kept.
        var file = new DataFileException("/secure/extracts/gotland.csv", null, "missing column 'Weight'");
        Assert.Equal("gotland.csv: missing column 'Weight'", file.ForCoordinator());
    }
}
