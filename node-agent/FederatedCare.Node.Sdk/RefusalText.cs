namespace FederatedCare.Node.Sdk;

/// <summary>A refusal's reason as the coordinator accepts it: one line, no control characters, at most 1000 characters.</summary>
public static class RefusalText
{
    /// <summary>The most characters the coordinator keeps of a reason (<c>ReportRefusalRequest.reason</c>).</summary>
    public const int MaxLength = 1000;

    /// <summary>Control characters (line breaks included) become spaces; a longer text is cut with an ellipsis.</summary>
    public static string Bound(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var line = new string([.. reason.Trim().Select(c => char.IsControl(c) ? ' ' : c)]);
        return line.Length <= MaxLength ? line : line[..(MaxLength - 1)] + "…";
    }
}
