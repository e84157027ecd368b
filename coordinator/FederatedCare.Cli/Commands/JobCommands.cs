using System.CommandLine;
using System.Globalization;
using FederatedCare.Cli.Output;
using FederatedCare.Protos.V1;

namespace FederatedCare.Cli.Commands;

/// <summary>Job and node commands: <c>status</c>, <c>abort</c>, <c>jobs</c>, <c>nodes</c>.</summary>
public static class JobCommands
{
    /// <summary><c>fedcare status JOB</c>: state, round and message (with privacy: the ε spent so far), and the job's privacy settings.</summary>
    public static Command Status()
    {
        var job = new Argument<string>("job") { Description = "Job id." };
        var output = OutputOption.Create();
        var command = new Command("status", Help.WithExample("Show a job's state and current round (operators and researchers).",
            "fedcare status 3f2a9c --output json")) { job, output };
        command.SetAction((parse, ct) => ExitZeroAfter(async () =>
        {
            var s = await CoordinatorConnection.OperatorClient(parse).GetJobAsync(new GetJobRequest { JobId = parse.GetRequiredValue(job) }, cancellationToken: ct);
            switch (parse.GetValue(output))
            {
                case OutputFormat.Json: JsonOutput.Write(JobJson(s)); break;
                case OutputFormat.Csv: Console.Out.Write(CsvText.Format(JobHeader, [JobRow(s)])); break;
                default:
                    Console.WriteLine(s.Spec.Analysis is not null ? $"{s.JobId}  {s.State}  analysis job  {s.Message}"
                        : $"{s.JobId}  {s.State}  round {s.CurrentRound}/{s.Spec.Rounds}  {s.Message}");
                    if (s.Spec.Privacy is { } p)
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"differential privacy: clipping norm {p.ClippingNorm}, noise multiplier {p.NoiseMultiplier}, " +
                            $"{(p.Clipping == ClippingSide.Client ? "client" : "server")}-side clipping (the message gives the ε spent so far)"));
                    break;
            }
        }));
        return command;
    }

    /// <summary><c>fedcare abort JOB [--reason TEXT]</c>.</summary>
    public static Command Abort()
    {
        var job = new Argument<string>("job") { Description = "Job id." };
        // No reason: the coordinator's message is "aborted by operator"; with one, "aborted: REASON".
        var reason = new Option<string>("--reason") { Description = "Why, for the job's message and the audit log.", DefaultValueFactory = _ => "" };
        var command = new Command("abort", Help.WithExample("Abort a pending or running job (operators).",
            "fedcare abort 3f2a9c --reason \"wrong spec\"")) { job, reason };
        command.SetAction((parse, ct) => ExitZeroAfter(async () =>
        {
            var s = await CoordinatorConnection.OperatorClient(parse).AbortJobAsync(
                new AbortJobRequest { JobId = parse.GetRequiredValue(job), Reason = parse.GetRequiredValue(reason) }, cancellationToken: ct);
            Console.WriteLine($"{s.JobId}  {s.State}  {s.Message}");
        }));
        return command;
    }

    /// <summary><c>fedcare jobs [--output table|json|csv]</c>.</summary>
    public static Command List()
    {
        var output = OutputOption.Create();
        var command = new Command("jobs", Help.WithExample("List jobs.", "fedcare jobs --output json")) { output };
        command.SetAction((parse, ct) => ExitZeroAfter(async () =>
        {
            var jobs = (await CoordinatorConnection.ResearchClient(parse).ListJobsAsync(new ListJobsRequest(), cancellationToken: ct)).Jobs;
            DataOutput.Write(parse.GetValue(output),
                () => DataOutput.Table(["job", "name", "strategy", "state", "round", "message"], jobs.Select(j => new[]
                {
                    j.JobId, j.Spec.Name, Strategy(j), j.State.ToString(), j.Spec.Analysis is null ? $"{j.CurrentRound}/{j.Spec.Rounds}" : "-", j.Message,
                })),
                () => new { jobs = jobs.Select(JobJson) },
                () => CsvText.Format(JobHeader, jobs.Select(JobRow)));
        }));
        return command;
    }

    /// <summary><c>fedcare nodes [--output table|json|csv]</c>: each region's identifier and display name (the identifier again when it has none).</summary>
    public static Command Nodes()
    {
        var output = OutputOption.Create();
        var command = new Command("nodes", Help.WithExample("List registered nodes (operators).", "fedcare nodes --output csv > nodes.csv")) { output };
        command.SetAction((parse, ct) => ExitZeroAfter(async () =>
        {
            var now = TimeProvider.System.GetUtcNow();
            var nodes = (await CoordinatorConnection.OperatorClient(parse).ListNodesAsync(new ListNodesRequest(), cancellationToken: ct)).Nodes;
            DataOutput.Write(parse.GetValue(output),
                () => DataOutput.Table(["region", "display name", "node", "connected", "device", "last seen (UTC)", "clock skew", "certificate days left"], nodes.Select(n => new[]
                {
                    n.Region, DisplayName(n), n.NodeId, n.Connected ? "yes" : "no", n.Device, LastSeen(n),
                    (n.ClockSkewMs / 1000.0).ToString("+0.0 s;-0.0 s;0 s", CultureInfo.InvariantCulture),
                    CertificateDaysLeft(n.CertificateNotAfterUnixMs, now),
                })),
                () => new
                {
                    nodes = nodes.Select(n => new { region = n.Region, displayName = DisplayName(n), nodeId = n.NodeId, connected = n.Connected, device = n.Device, lastSeen = LastSeen(n), clockSkewMs = n.ClockSkewMs,
                        certificateNotAfter = n.CertificateNotAfterUnixMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(n.CertificateNotAfterUnixMs).ToString("o", CultureInfo.InvariantCulture) }),
                },
                () => CsvText.Format(["region", "display_name", "node_id", "connected", "device", "last_seen", "clock_skew_ms", "certificate_not_after"], nodes.Select(n => new[]
                {
                    n.Region, DisplayName(n), n.NodeId, n.Connected ? "true" : "false", n.Device, LastSeen(n), n.ClockSkewMs.ToString(CultureInfo.InvariantCulture),
                    n.CertificateNotAfterUnixMs == 0 ? "" : DateTimeOffset.FromUnixTimeMilliseconds(n.CertificateNotAfterUnixMs).ToString("o", CultureInfo.InvariantCulture),
                })));
        }));
        return command;
    }

    /// <summary>
    /// Whole days until a node's certificate expires, rounded down ("expired" after, "-" without TLS): what an operator
    /// needs to renew in time (the coordinator also logs a warning below Coordinator:Tls:ExpiryWarningDays).
    /// </summary>
    public static string CertificateDaysLeft(long notAfterUnixMs, DateTimeOffset now)
    {
        if (notAfterUnixMs == 0) return "-";
        var days = Math.Floor((DateTimeOffset.FromUnixTimeMilliseconds(notAfterUnixMs) - now).TotalDays);
        return days < 0 ? "expired" : days.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs an action and returns exit code 0; errors are reported by <see cref="CliErrors"/>.</summary>
    internal static async Task<int> ExitZeroAfter(Func<Task> action)
    {
        await action();
        return 0;
    }

    private static readonly string[] JobHeader = ["job_id", "name", "strategy", "state", "current_round", "rounds", "message", "created_at"];

    private static string[] JobRow(JobStatus j) =>
    [
        j.JobId, j.Spec.Name, Strategy(j), j.State.ToString(), j.CurrentRound.ToString(CultureInfo.InvariantCulture),
        j.Spec.Rounds.ToString(CultureInfo.InvariantCulture), j.Message, Time(j.CreatedAt),
    ];

    /// <summary>A job's <c>--output json</c> object.</summary>
    private static object JobJson(JobStatus j) => new
    {
        jobId = j.JobId,
        name = j.Spec.Name,
        strategy = Strategy(j),
        state = j.State.ToString(),
        currentRound = j.CurrentRound,
        rounds = j.Spec.Rounds,
        message = j.Message,
        createdAt = Time(j.CreatedAt),
        updatedAt = Time(j.UpdatedAt),
        submittedBy = j.SubmittedBy,
        privacy = j.Spec.Privacy is { } p
            ? new { clippingNorm = p.ClippingNorm, noiseMultiplier = p.NoiseMultiplier, clipping = p.Clipping == ClippingSide.Client ? "client" : "server" }
            : null,
    };

    private static string Strategy(JobStatus j) =>
        j.Spec.Analysis is { } a ? "analysis: " + string.Join(", ", a.Steps.Select(x => x.KindCase.ToString().ToLowerInvariant())) : j.Spec.Strategy?.Name ?? "";

    /// <summary>A coordinator timestamp as ISO 8601 UTC to the millisecond; empty when absent.</summary>
    internal static string Time(Google.Protobuf.WellKnownTypes.Timestamp? at) =>
        at is null ? "" : at.ToDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static string DisplayName(NodeInfo n) => n.DisplayName.Length > 0 ? n.DisplayName : n.Region;

    private static string LastSeen(NodeInfo n) =>
        DateTimeOffset.FromUnixTimeMilliseconds(n.LastSeenUnixMs).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
