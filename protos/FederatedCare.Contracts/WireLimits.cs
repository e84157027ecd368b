namespace FederatedCare.Protos.V1;

/// <summary>
/// The largest strings and collections a caller may send, part of the contract beside the .proto files (whose
/// comments name these limits). The coordinator checks every client-facing request against them before it logs,
/// stores or echoes any of it, and refuses a request over a limit with <c>InvalidArgument</c> naming the field and
/// the limit; lengths count UTF-16 code units (<see cref="string.Length"/>), so 64 may be fewer than 64 emoji.
/// Why bounds at all: a hostile node once registered a 1 MB region name, and twenty refused uploads with a 1 MB job
/// id grew the database by 42 MiB (issue 14). Each limit is several times what a real federation sends.
/// </summary>
public static class WireLimits
{
    /// <summary>
    /// A region identifier (<c>RegisterRequest.region</c>, the regions a job names): 1-64 characters after NFC
    /// normalisation, of the characters <see cref="RegionNames.IsIdentifierChar"/> allows (letters of any script, e.g.
    /// Ö, digits, '-', '_', '.'; no spaces).
    /// </summary>
    public const int RegionChars = 64;

    /// <summary>A region's display name (<c>RegisterRequest.display_name</c>, e.g. "Region Jönköpings län"): spaces allowed.</summary>
    public const int RegionDisplayNameChars = 128;

    /// <summary><c>RegisterRequest.agent_version</c>.</summary>
    public const int AgentVersionChars = 64;

    /// <summary><c>RegisterRequest.device</c> ("cpu", "cuda", "cuda:1").</summary>
    public const int DeviceChars = 32;

    /// <summary>Entries of <c>RegisterRequest.datasets</c>.</summary>
    public const int Datasets = 64;

    /// <summary>One dataset name, in <c>RegisterRequest.datasets</c> and elsewhere.</summary>
    public const int DatasetChars = 128;

    /// <summary>A node id (<c>x-node-id</c>, <c>node_id</c> fields): the coordinator issues 36-character GUIDs.</summary>
    public const int NodeIdChars = 64;

    /// <summary>A job id: the coordinator's pattern allows 64 characters (letters, digits, '.', '_', '-').</summary>
    public const int JobIdChars = 64;

    /// <summary>A SHA-256 in hex (<c>model_sha256</c>, <c>base_model_sha256</c>): exactly 64 hex digits when given.</summary>
    public const int Sha256Chars = 64;

    /// <summary>A split name (<c>RegionMetrics.split</c>, <c>EvaluateTask.splits</c>).</summary>
    public const int SplitChars = 64;

    /// <summary>A cross-site model label (<c>"global"</c> or <c>"local:&lt;region&gt;"</c>).</summary>
    public const int ModelLabelChars = 6 + RegionChars;

    /// <summary>A metric name: keys of <c>RegionMetrics.extra</c>, <c>UpdateHeader.metrics</c>.</summary>
    public const int MetricNameChars = 64;

    /// <summary>Metrics per map (<c>RegionMetrics.extra</c>, <c>UpdateHeader.metrics</c>).</summary>
    public const int MetricsPerMap = 64;

    /// <summary>Entries of <c>ReportMetricsRequest.metrics</c> (one per split).</summary>
    public const int MetricReports = 16;

    /// <summary>
    /// The most examples a count may claim (<c>num_examples</c>, <c>train_rows</c>, label counts): 10⁹ rows, far beyond
    /// a region's registry and far below the 2⁶³−1 that let one region outweigh all others.
    /// </summary>
    public const long Examples = 1_000_000_000;

    /// <summary>A refusal's reason (<c>ReportStatisticsRequest.refusal</c>, <c>ReportAnalysisRequest.refusal</c>).</summary>
    public const int RefusalChars = 2000;

    /// <summary>Columns of <c>LocalStatistics.columns</c> and keys of its <c>label_counts</c>.</summary>
    public const int StatisticsColumns = 4096;

    /// <summary>A column or label name in statistics.</summary>
    public const int ColumnNameChars = 256;

    /// <summary>The serialised <c>AnalysisAnswer</c> of a region (bytes): a Cox answer of the most terms allowed is about 330 kB.</summary>
    public const int AnalysisAnswerBytes = 1 << 20;

    /// <summary>An operator's abort reason (<c>AbortJobRequest.reason</c>).</summary>
    public const int AbortReasonChars = 500;

    /// <summary>A job's name (<c>JobSpec.name</c>).</summary>
    public const int JobNameChars = 200;

    /// <summary>The serialised <c>JobSpec</c> of a StartJob (bytes).</summary>
    public const int JobSpecBytes = 256 * 1024;

    /// <summary>
    /// A refusal reason as a node may send it: control characters (an exception's message may hold line breaks)
    /// become spaces and the text is cut to <see cref="RefusalChars"/>, so the coordinator does not refuse the refusal.
    /// </summary>
    public static string Refusal(string? reason)
    {
        if (string.IsNullOrEmpty(reason)) return "";
        var chars = reason.ToCharArray(0, Math.Min(reason.Length, RefusalChars));
        for (int i = 0; i < chars.Length; i++)
            if (IsControl(chars[i])) chars[i] = ' ';
        int length = chars.Length;
        if (length < reason.Length && char.IsHighSurrogate(chars[length - 1])) length--; // never half a character
        return new string(chars, 0, length);
    }

    /// <summary>
    /// Whether <paramref name="c"/> would let a value forge or hide log lines: C0/C1 controls (CR, LF, ESC…), the
    /// line and paragraph separators, and the bidirectional overrides. Refused in every string a caller sends.
    /// </summary>
    public static bool IsControl(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069';
}
