using System.Globalization;

namespace FederatedCare.NodeAgent.Data.Tabular;

/// <summary>Matches a cell to a list of levels: textually, or numerically when both parse as numbers ("1.0" = "1").</summary>
public static class LevelMatcher
{
    /// <summary>The index of the level <paramref name="cell"/> matches, or −1.</summary>
    public static int IndexOf(string cell, IReadOnlyList<string> levels, NumberFormatInfo numbers)
    {
        for (int i = 0; i < levels.Count; i++)
            if (string.Equals(cell, levels[i], StringComparison.Ordinal)) return i;
        if (!double.TryParse(cell, NumberStyles.Float, numbers, out var value)) return -1;
        for (int i = 0; i < levels.Count; i++)
            if ((double.TryParse(levels[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var level)
                 || double.TryParse(levels[i], NumberStyles.Float, numbers, out level)) && level == value)
                return i;
        return -1;
    }
}
