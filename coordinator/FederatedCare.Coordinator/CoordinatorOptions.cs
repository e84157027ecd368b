namespace FederatedCare.Coordinator;

/// <summary>
/// Coordinator settings, bound from the configuration section <c>Coordinator</c> (appsettings.json, environment
/// variables such as <c>Coordinator__DataDirectory</c>, or the command line <c>--Coordinator:DataDirectory=DIR</c>).
/// </summary>
public sealed class CoordinatorOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Coordinator";

    /// <summary>
    /// Where <c>coordinator.db</c> and the models live: <c>models/&lt;job&gt;/round-&lt;r&gt;.safetensors</c> (global),
    /// <c>local-&lt;region&gt;.safetensors</c> (cross-site validation) and <c>control-&lt;r&gt;.safetensors</c> (SCAFFOLD).
    /// </summary>
    public string DataDirectory { get; set; } = "./coordinator-data";

    /// <summary>Optional path of a compact-JSON (CLEF) log file, in addition to the console.</summary>
    public string? LogFile { get; set; }

    /// <summary>Seconds between keep-alive pings on each node's WaitForTask stream; also sent to nodes at Register.</summary>
    public double HeartbeatSeconds { get; set; } = 5;

    /// <summary>Deadline of a round (initialize, fit, evaluate) when the job spec leaves round_deadline_seconds at 0.</summary>
    public double DefaultRoundDeadlineSeconds { get; set; } = 300;

    /// <summary>The splits nodes are asked to evaluate the global model on.</summary>
    public string[] EvaluationSplits { get; set; } = ["test"];

    /// <summary>
    /// HTTP/2 connection and stream flow-control windows in bytes. Kestrel's defaults (1 MB / 768 kB) stall a
    /// stream of 1 MiB model chunks after every chunk; a few MB let chunks flow back to back.
    /// </summary>
    public int Http2WindowBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>The heartbeat interval as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan HeartbeatInterval => TimeSpan.FromSeconds(HeartbeatSeconds > 0 ? HeartbeatSeconds : 5);
}
