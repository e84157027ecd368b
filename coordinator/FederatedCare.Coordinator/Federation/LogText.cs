using System.Text;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Federation;

/// <summary>
/// Caller-given text made safe for a log line or an audit entry: control characters (CR, LF, ESC, bidi overrides:
/// <see cref="WireLimits.IsControl"/>) written as <c>\uXXXX</c>, and anything beyond a length cut with a note of how
/// much was cut. Source-generated logging escapes nothing, and the console sink writes strings as they are, so a
/// region name with CR LF once forged a whole log line (issue 14). Requests are refused over their bounds before they
/// reach a log; this is the second line for what is logged on the way to a refusal.
/// </summary>
internal static class LogText
{
    /// <summary>Characters of a caller's value kept in a log line.</summary>
    public const int LogChars = 200;

    /// <summary><paramref name="value"/> with control characters escaped and cut to <paramref name="max"/> characters.</summary>
    public static string Safe(string? value, int max = LogChars)
    {
        if (string.IsNullOrEmpty(value)) return "";
        int keep = Math.Min(value.Length, max);
        if (keep < value.Length && keep > 0 && char.IsHighSurrogate(value[keep - 1])) keep--; // never half a character
        var text = new StringBuilder(keep + 24);
        for (int i = 0; i < keep; i++)
        {
            char c = value[i];
            if (WireLimits.IsControl(c)) text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else text.Append(c);
        }
        if (value.Length > keep) text.Append(System.Globalization.CultureInfo.InvariantCulture, $"… ({value.Length - keep} more characters)");
        return text.ToString();
    }
}
