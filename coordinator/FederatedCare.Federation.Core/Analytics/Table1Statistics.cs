namespace FederatedCare.Federation.Core.Analytics;

/// <summary>The statistic names of Table 1 (the <c>statistic</c> column of <c>table1.csv</c>).</summary>
public static class Table1Statistics
{
    /// <summary>A count of rows or values.</summary>
    public const string N = "n";
    /// <summary>The mean.</summary>
    public const string Mean = "mean";
    /// <summary>The sample standard deviation.</summary>
    public const string StandardDeviation = "sd";
    /// <summary>The median (type 7).</summary>
    public const string Median = "median";
    /// <summary>The first quartile (type 7).</summary>
    public const string Q1 = "q1";
    /// <summary>The third quartile (type 7).</summary>
    public const string Q3 = "q3";
    /// <summary>A categorical level's count.</summary>
    public const string Count = "count";
}
