using System.CommandLine;
using System.Globalization;
using FederatedCare.Protos.V1;
using Spectre.Console;

namespace FederatedCare.Cli.Commands;

/// <summary>Operator commands: <c>status</c>, <c>abort</c>, <c>jobs</c>, <c>nodes</c>.</summary>
public static class JobCommands
{
    /// <summary><c>fedcare status JOB</c>: state, round and message (with privacy: the ε spent so far), and the job's privacy settings.</summary>
    public static Command Status()
    {
        var job = new Argument<string>("job") { Description = "Job id." };
        var command = new Command("status", "Show a job's state and current round.") { job };
        command.SetAction((parse, ct) => ExitZeroAfter(async () =>
        {
            var s = await CoordinatorConnection.OperatorClient(parse).GetJobAsync(new GetJobRequest { JobId = parse.GetRequiredValue(job) }, cancellationToken: ct);
            Console.WriteLine(s.Spec.Analysis is not null ? $"{s.JobId}  {s.State}  analysis job  {s.Message}"
                : $"{s.JobId}  {s.State}  round {s.CurrentRound}/{s.Spec.Rounds}  {s.Message}");
            if (s.Spec.Privacy is { } p)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"differential privacy: clipping norm {p.ClippingNorm}, noise multiplier {p.NoiseMultiplier}, " +
                    $"{(p.Clipping == ClippingSide.Client ? "client" : "server")}-side clipping (the message gives the ε spent so far)"));
        }));
        return command;
    }

    /// <summary><c>fedcare abort JOB [--reason TEXT]</c>.</summary>
    public static Command Abort()
    {
        var job = new Argument<string>("job") { Description = "Job id." };
        // No reason: the coordinator's message is "aborted by operator"; with one, "aborted: REASON".
        var reason = new Option<string>("--reason") { Description = "Why, for the job's message and the audit log.", DefaultValueFactory = _ => "" };
        var command = new Command("abort", "Abort a pending or running job.") { job, reason };
        command.SetAction((parse, ct) => ExitZeroAfter(async () =>
        {
            var s = await CoordinatorConnection.OperatorClient(parse).AbortJobAsync(
                new AbortJobRequest { JobId = parse.GetRequiredValue(job), Reason = parse.GetRequiredValue(reason) }, cancellationToken: ct);
            Console.WriteLine($"{s.JobId}  {s.State}  {s.Message}");
        }));
        return command;
    }

    /// <summary><c>fedcare jobs</c>.</summary>
    public static Command List()
    {
        var command = new Command("jobs", "List jobs.");
        command.SetAction((parse, ct) => ExitZeroAfter(async () =>
        {
            var jobs = await CoordinatorConnection.ResearchClient(parse).ListJobsAsync(new ListJobsRequest(), cancellationToken: ct);
            var table = new Table().AddColumns("job", "name", "strategy", "state", "round", "message");
            foreach (var j in jobs.Jobs)
                table.AddRow(Markup.Escape(j.JobId), Markup.Escape(j.Spec.Name),
                    Markup.Escape(j.Spec.Analysis is { } a ? "analysis: " + string.Join(", ", a.Steps.Select(x => x.KindCase.ToString().ToLowerInvariant())) : j.Spec.Strategy?.Name ?? ""),
                    j.State.ToString(), j.Spec.Analysis is null ? $"{j.CurrentRound}/{j.Spec.Rounds}" : "-", Markup.Escape(j.Message));
            AnsiConsole.Write(table);
        }));
        return command;
    }

    /// <summary><c>fedcare nodes</c>: each region's identifier and display name (the identifier again when it has none).</summary>
    public static Command Nodes()
    {
        var command = new Command("nodes", "List registered nodes.");
        command.SetAction((parse, ct) => ExitZeroAfter(async () =>
        {
            var nodes = await CoordinatorConnection.OperatorClient(parse).ListNodesAsync(new ListNodesRequest(), cancellationToken: ct);
            var table = new Table().AddColumns("region", "display name", "node", "connected", "device", "last seen (UTC)", "clock skew", "certificate days left");
            var now = TimeProvider.System.GetUtcNow();
            foreach (var n in nodes.Nodes)
                table.AddRow(Markup.Escape(n.Region), Markup.Escape(n.DisplayName.Length > 0 ? n.DisplayName : n.Region), Markup.Escape(n.NodeId), n.Connected ? "yes" : "no", Markup.Escape(n.Device),
                    DateTimeOffset.FromUnixTimeMilliseconds(n.LastSeenUnixMs).ToString("u", System.Globalization.CultureInfo.InvariantCulture),
                    (n.ClockSkewMs / 1000.0).ToString("+0.0 s;-0.0 s;0 s", System.Globalization.CultureInfo.InvariantCulture),
                    CertificateDaysLeft(n.CertificateNotAfterUnixMs, now));
            AnsiConsole.Write(table);
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
}
