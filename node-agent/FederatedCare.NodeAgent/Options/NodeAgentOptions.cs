using FederatedCare.Node.Sdk;

namespace FederatedCare.NodeAgent.Options;

/// <summary>
/// Configuration of one node agent, bound from the <c>NodeAgent</c> section (appsettings.json, environment variables
/// such as <c>NodeAgent__Region</c>, or the command line such as <c>--NodeAgent:Region=Halland</c>).
/// Checked at start by <see cref="NodeAgentOptionsValidator"/>.
/// </summary>
public sealed class NodeAgentOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "NodeAgent";

    /// <summary>
    /// The identifier of the region (hospital, county) this agent trains for, e.g. <c>Halland</c> or <c>Jonkoping</c>:
    /// what its certificate, the job specs and the coordinator's store name it by. Letters of any script, digits, '-',
    /// '_' and '.', no spaces (<c>RegionNames</c>); NFC-normalised at start. Required.
    /// </summary>
    public string Region { get; set; } = "";

    /// <summary>
    /// What people read for the region, e.g. <c>Region Jönköpings län</c>: spaces allowed, no control characters, at
    /// most 128 characters; shown by <c>fedcare nodes</c>. Empty (default): the identifier.
    /// </summary>
    public string DisplayName { get; set; } = "";

    /// <summary>The coordinator's gRPC address, e.g. <c>http://127.0.0.1:5050</c>.</summary>
    public string CoordinatorAddress { get; set; } = "http://127.0.0.1:5050";

    /// <summary>The datasets this region holds, keyed by the name jobs use (e.g. <c>heart-disease</c>).</summary>
    public Dictionary<string, DatasetOptions> Datasets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// libtorch intra-op threads. Default 1: libtorch's OpenMP workers spin while waiting, and on a small shared
    /// machine (several agents and a coordinator on two cores) more than one thread makes small models 50–100×
    /// slower instead of faster.
    /// </summary>
    public int TorchThreads { get; set; } = 1;

    /// <summary><c>auto</c> (CUDA when available, else CPU), <c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>Mutual TLS with the federation CA (section <c>NodeAgent:Tls</c>); unset: plaintext.</summary>
    public TlsOptions Tls { get; set; } = new();

    /// <summary>How the agent reconnects when the coordinator is unreachable or the task stream breaks.</summary>
    public ReconnectOptions Reconnect { get; set; } = new();

    /// <summary>How many global models (by SHA-256) to keep in memory, so evaluate + fit of one model download once.</summary>
    public int ModelCacheSize { get; set; } = 4;

    /// <summary>
    /// Folder where the agent writes, for the region's data team, a profile of each job's data (rows, missing values
    /// per column, label balance): <c>&lt;dataset&gt;-&lt;job&gt;.json</c>. Never sent anywhere. Empty: no profile.
    /// </summary>
    public string ProfileDirectory { get; set; } = "";

    /// <summary>
    /// Folder for state this agent must keep across restarts: the region's audit log (<c>region-audit.jsonl</c>), SCAFFOLD's control variates cᵢ of running jobs
    /// (<see cref="Node.Sdk.FitMods.ControlVariateFiles"/>). Empty: kept in memory only, so an agent restart mid-job restarts cᵢ
    /// from zeros. Relative paths resolve against the configuration file's folder.
    /// </summary>
    public string StateDirectory { get; set; } = "";

    /// <summary>
    /// Set by <c>--config FILE</c> to that file's folder: relative data, split and profile paths resolve against it,
    /// so a node configuration file can name its files relative to itself.
    /// </summary>
    public string ConfigDirectory { get; set; } = "";

    /// <summary>
    /// The region's policy (section <c>NodeAgent:Policy</c>): which jobs may read its data, enforced before a row is
    /// read. Null (no section): every job its datasets match runs.
    /// </summary>
    public PolicyOptions? Policy { get; set; }

    /// <summary>What this region releases in analysis jobs (section <c>NodeAgent:Analysis</c>).</summary>
    public AnalysisOptions Analysis { get; set; } = new();

    /// <summary>Timeout of single unary calls (Register, ReportMetrics) in seconds.</summary>
    public double CallTimeoutSeconds { get; set; } = 30;
}
