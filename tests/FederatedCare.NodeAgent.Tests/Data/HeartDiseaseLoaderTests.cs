using System.Globalization;
using FederatedCare.NodeAgent.Data;

namespace FederatedCare.NodeAgent.Tests.Data;

public sealed class HeartDiseaseLoaderTests
{
    [Theory]
    [InlineData("processed.cleveland.data", 199, 104)]
    [InlineData("processed.hungarian.data", 172, 89)]
    [InlineData("processed.switzerland.data", 30, 16)]
    [InlineData("processed.va.data", 85, 45)]
    public void Row_counts_match_FLamby(string file, int train, int test)
    {
        var data = TestData.Load(file);
        Assert.Equal(train, data.Train.Rows);
        Assert.Equal(test, data.Test.Rows);
        Assert.Equal(13, data.Width);
        Assert.Equal(train * 13, data.Train.Features.Length);
    }

    [Fact]
    public void Feature_order_and_one_hot_follow_FLamby()
    {
        Assert.Equal(
            ["age", "sex", "trestbps", "chol", "fbs", "thalach", "exang", "oldpeak", "cp_2", "cp_3", "cp_4", "restecg_1", "restecg_2"],
            HeartDiseaseFeatures.Names);
        // Cleveland line 1: 63.0,1.0,1.0,145.0,233.0,1.0,2.0,150.0,0.0,2.3,3.0,0.0,6.0,0 (cp 1, restecg 2, label 0).
        var data = TestData.Load("processed.cleveland.data");
        int row = Array.IndexOf(data.Train.SourceLines, 0);
        Assert.True(row >= 0);
        double[] expected = [63, 1, 145, 233, 1, 150, 0, 2.3, 0, 0, 0, 0, 1];
        for (int j = 0; j < 13; j++)
            Assert.Equal(expected[j], Unscale(data, data.Train[row, j], j), 4);
        Assert.Equal(0f, data.Train.Labels[row]);
        // Line 2: 67.0,1.0,4.0,...,2.0,...,2 → cp_4 = 1, restecg_2 = 1, label 1 (num 2 > 0).
        var row2 = FindRow(data, 1, out var split);
        Assert.Equal(1, Unscale(data, split[row2, 10], 10), 4);
        Assert.Equal(0, Unscale(data, split[row2, 8], 8), 4);
        Assert.Equal(1, Unscale(data, split[row2, 12], 12), 4);
        Assert.Equal(1f, split.Labels[row2]);
    }

    [Fact]
    public void Training_rows_are_standardised_with_their_own_mean_and_sample_std()
    {
        foreach (var data in TestData.Heart)
        {
            for (int j = 0; j < data.Width; j++)
            {
                var column = Enumerable.Range(0, data.Train.Rows).Select(i => (double)data.Train[i, j]).ToArray();
                double mean = column.Average();
                double sampleStd = Math.Sqrt(column.Sum(v => (v - mean) * (v - mean)) / (column.Length - 1));
                Assert.True(Math.Abs(mean) < 1e-5, $"{data.SourcePath} column {j}: mean {mean}");
                // A constant column (Switzerland's chol is always 0) becomes all zeros.
                if (data.Scaling.Std[j] == 0) Assert.Equal(0, sampleStd, 6);
                else Assert.True(Math.Abs(sampleStd - 1) < 1e-4, $"{data.SourcePath} column {j}: std {sampleStd}");
            }
        }
    }

    [Fact]
    public void Test_rows_use_the_training_statistics()
    {
        var data = TestData.Load("processed.hungarian.data");
        var raw = UciHeartDiseaseFile.Read(TestData.PathOf("processed.hungarian.data"));
        for (int i = 0; i < data.Test.Rows; i++)
        {
            Assert.True(HeartDiseaseFeatures.TryEncode(raw[data.Test.SourceLines[i]], out var features, out _));
            for (int j = 0; j < 13; j++)
                Assert.Equal((float)((features[j] - data.Scaling.Mean[j]) / (data.Scaling.Std[j] + 1e-9)), data.Test[i, j]);
        }
    }

    [Fact]
    public void Parses_question_marks_decimal_styles_and_leading_dots_under_a_swedish_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("sv-SE");
        try
        {
            using var dir = new TempDir();
            var data = dir.Write("quirks.data",
                "63.0,1.0,1.0,145.0,233.0,1.0,2.0,150.0,0.0,2.3,3.0,0.0,6.0,0\n" + // Cleveland style
                "32,1,1,95,0,?,0,127,0,.7,1,?,?,1\n" +                              // '?' in fbs: dropped
                "34,1,4,115,0,0,0,154,0,.2,1,?,?,1\n" +                              // Switzerland '.2'
                "40,0,2,130,200,0,1,160,1,1.5,?,?,?,0\n" +
                "50,1,3,120,210,0,0,140,0,0,?,?,?,3\n");
            var split = dir.Write("split.csv",
                "center,file,split,row_index\n0,quirks.data,train,0\n0,quirks.data,train,2\n0,quirks.data,train,3\n0,quirks.data,test,4\n");

            var raw = UciHeartDiseaseFile.Read(data);
            Assert.Equal(5, raw.Count);
            Assert.Equal(63.0, raw[0][0]);
            Assert.Equal(2.3, raw[0][9]);
            Assert.Equal(0.7, raw[1][9]);
            Assert.True(double.IsNaN(raw[1][5]));
            Assert.Equal(0.2, raw[2][9]);
            Assert.False(HeartDiseaseFeatures.TryEncode(raw[1], out _, out _));

            var dataset = UciHeartDiseaseLoader.Load("q", data, split);
            Assert.Equal([0, 2, 3], dataset.Train.SourceLines);
            Assert.Equal([4], dataset.Test.SourceLines);
            Assert.Equal((63 + 34 + 40) / 3.0, dataset.Scaling.Mean[0], 9);
            Assert.Equal((2.3 + 0.2 + 1.5) / 3.0, dataset.Scaling.Mean[7], 9);
            Assert.Equal([0f, 1f, 0f], dataset.Train.Labels);
            Assert.Equal([1f], dataset.Test.Labels);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void A_split_row_with_a_missing_value_is_refused()
    {
        using var dir = new TempDir();
        var data = dir.Write("a.data", "63,1,1,145,233,1,2,150,0,2.3,3,0,6,0\n32,1,1,95,0,?,0,127,0,.7,1,?,?,1\n");
        var split = dir.Write("split.csv", "center,file,split,row_index\n0,a.data,train,0\n0,a.data,test,1\n");
        var e = Assert.Throws<DataFileException>(() => UciHeartDiseaseLoader.Load("a", data, split));
        Assert.Contains(split, e.Message);
        Assert.Equal(3, e.LineNumber);
    }

    private static double Unscale(LocalDataset data, float value, int column) =>
        value * (data.Scaling.Std[column] + 1e-9) + data.Scaling.Mean[column];

    private static int FindRow(LocalDataset data, int line, out TabularSplit split)
    {
        split = data.Train;
        int row = Array.IndexOf(split.SourceLines, line);
        if (row >= 0) return row;
        split = data.Test;
        return Array.IndexOf(split.SourceLines, line);
    }
}
