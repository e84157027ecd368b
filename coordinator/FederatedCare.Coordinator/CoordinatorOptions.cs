using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Coordinator.Security;

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

    /// <summary>
    /// The secret behind differential-privacy noise (<see cref="FederatedCare.Federation.Core.Privacy.NoiseKey"/>): 32 random bytes, created on the first
    /// round of the first job with privacy. Empty: <c>privacy-noise.key</c> in <see cref="DataDirectory"/>. Keep it
    /// private like the database; copy it to reproduce a job's noise on another coordinator.
    /// </summary>
    public string PrivacyNoiseKeyFile { get; set; } = "";

    /// <summary>The noise key's path: <see cref="PrivacyNoiseKeyFile"/>, or its default in the data directory.</summary>
    public string PrivacyNoiseKeyPath => PrivacyNoiseKeyFile.Length > 0 ? PrivacyNoiseKeyFile : Path.Combine(DataDirectory, "privacy-noise.key");

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
    /// Test hook for crash tests, empty in production: <c>POINT:ROUND</c> (points in <see cref="FederatedCare.Federation.Core.Jobs.ChaosPoints"/>,
    /// e.g. <c>mid-upload:4</c>) makes the coordinator stop at that point of that round, write the file
    /// <c>chaos-reached</c> into <see cref="DataDirectory"/> and wait there forever, so a script can SIGKILL it at
    /// exactly that moment.
    /// </summary>
    public string ChaosPauseAt { get; set; } = "";

    /// <summary>Deadline of a round (initialize, fit, evaluate) when the job spec leaves round_deadline_seconds at 0.</summary>
    public double DefaultRoundDeadlineSeconds { get; set; } = 300;

    /// <summary>
    /// While a job's statistics phase waits for regions whose data team has not yet approved it (manual approval), how
    /// often (seconds) those regions are asked again: the round deadline if shorter. Default 10.
    /// </summary>
    public double ApprovalPollSeconds { get; set; } = 10;

    /// <summary>The splits nodes are asked to evaluate the global model on.</summary>
    public string[] EvaluationSplits { get; set; } = ["test"];

    /// <summary>
    /// HTTP/2 stream flow-control window in bytes. Kestrel's default (768 kB) stalls a model stream every few chunks;
    /// 16 MB lets chunks flow back to back. The connection window is this times (<see cref="Http2MaxStreamsPerConnection"/>
    /// + 1): uploads waiting for an upload buffer each hold up to one stream window of unread data, and if those could
    /// exhaust the connection window, the upload being decoded on the same connection would starve (a deadlock).
    /// </summary>
    public int Http2WindowBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Concurrent HTTP/2 streams per connection (Kestrel's default is 100; a node needs three or four).</summary>
    public int Http2MaxStreamsPerConnection { get; set; } = 32;

    /// <summary>Streaming aggregation and upload limits (section <c>Coordinator:Aggregation</c>).</summary>
    public AggregationOptions Aggregation { get; set; } = new();

    /// <summary>
    /// Which per-round models stay on disk (section <c>Coordinator:Retention</c>: <c>KeepLastRounds</c>,
    /// <c>KeepEveryRounds</c>); by default every round's.
    /// </summary>
    public FederatedCare.Federation.Core.Jobs.ModelRetention Retention { get; set; } = new();

    /// <summary>Registry size and the audit of refusals per caller (section <c>Coordinator:Limits</c>).</summary>
    public Federation.CallerLimitOptions Limits { get; set; } = new();

    /// <summary>Mutual TLS with the federation CA (section <c>Coordinator:Tls</c>); unset: plaintext h2c.</summary>
    public TlsOptions Tls { get; set; } = new();

    /// <summary>The dashboard, Prometheus metrics and HTTP probes (section <c>Coordinator:Web</c>).</summary>
    public Web.WebOptions Web { get; set; } = new();

    /// <summary>The heartbeat interval as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan HeartbeatInterval => TimeSpan.FromSeconds(HeartbeatSeconds > 0 ? HeartbeatSeconds : 5);

    /// <summary>The node timeout as a <see cref="TimeSpan"/>: <see cref="NodeTimeoutSeconds"/>, or three heartbeat intervals.</summary>
    public TimeSpan NodeTimeout => NodeTimeoutSeconds > 0 ? TimeSpan.FromSeconds(NodeTimeoutSeconds) : 3 * HeartbeatInterval;
}
