using System.Globalization;
using System.Text;

namespace FederatedCare.Benchmarks.HeartDisease;

/// <summary>
/// The demo's four regions and the UCI hospitals that stand in for them, in FLamby's centre order.
/// </summary>
public static class Regions
{
    /// <summary>Region names as node agents register them.</summary>
    public static readonly IReadOnlyList<string> Names = ["Halland", "Karolinska", "Sahlgrenska", "Örebro"];

    /// <summary>Column names of benchmark.csv (ASCII).</summary>
    public static readonly IReadOnlyList<string> Columns = Names.Select(Column).ToList();

    /// <summary>FLamby's centre names for the same columns (cleveland, hungary, switzerland, va).</summary>
    public static readonly IReadOnlyList<string> FlambyCentres = ["cleveland", "hungary", "switzerland", "va"];

    /// <summary>Lower-case ASCII column name of a region: "Örebro" → "orebro".</summary>
    public static string Column(string region)
    {
        var decomposed = region.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder();
        foreach (var c in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) sb.Append(char.ToLowerInvariant(c));
        return sb.ToString();
    }
}
