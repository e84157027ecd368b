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

    /// <summary>
    /// Seconds without a heartbeat (or any other call) after which a node counts as vanished: its task stream is
    /// closed and it is not selected again until it calls again. 0: three heartbeat intervals.
    /// </summary>
    public double NodeTimeoutSeconds { get; set; }

    /// <summary>
    /// Test hook for crash tests, empty in production: <c>POINT:ROUND</c> (points in <see cref="Diagnostics.ChaosPoints"/>,
    /// e.g. <c>mid-upload:4</c>) makes the coordinator stop at that point of that round, write the file
    /// <c>chaos-reached</c> into <see cref="DataDirectory"/> and wait there forever, so a script can SIGKILL it at
    /// exactly that moment.
    /// </summary>
    public string ChaosPauseAt { get; set; } = "";

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

    /// <summary>The node timeout as a <see cref="TimeSpan"/>: <see cref="NodeTimeoutSeconds"/>, or three heartbeat intervals.</summary>
    public TimeSpan NodeTimeout => NodeTimeoutSeconds > 0 ? TimeSpan.FromSeconds(NodeTimeoutSeconds) : 3 * HeartbeatInterval;
}
