using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FederatedCare.NodeAgent.Extensions;
using FederatedCare.NodeAgent.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FederatedCare.NodeAgent.Governance;

/// <summary>
/// The data team's side of manual approval, run on the region's own machine next to the agent:
/// <c>dotnet FederatedCare.NodeAgent.dll approvals list|show SHA256|approve SHA256|refuse SHA256 --reason TEXT --config node.json</c>.
/// It reads and writes the records in <c>&lt;StateDirectory&gt;/approvals</c> (<see cref="ApprovalStore"/>); the running
/// agent reads a decision when the coordinator next asks for the job (every round deadline while the job waits) and
/// records it, with who decided, in the region's audit log. A decision covers exactly one spec hash.
/// </summary>
public static class ApprovalsCommand
{
    /// <summary>The command's name, the agent's first argument.</summary>
    public const string Name = "approvals";

    /// <summary>Exit code when the command could not do what it was asked (unknown hash, already decided, bad configuration).</summary>
    public const int Failed = 1;

    /// <summary>Builds the <c>approvals</c> command and its verbs.</summary>
    public static Command Create()
    {
        var config = new Option<string>(ConfigFile.Switch) { Description = "The node configuration file (its NodeAgent:StateDirectory holds the approvals).", Required = true };
        var by = new Option<string>("--by") { Description = "Who decides (recorded with the decision and in the audit log).", DefaultValueFactory = _ => Environment.UserName };
        var reason = new Option<string>("--reason") { Description = "Why the job is refused (shown in the job's status at the coordinator).", Required = true };
        var note = new Option<string>("--note") { Description = "An optional note with the approval.", DefaultValueFactory = _ => "" };
        Argument<string> Sha() => new("sha256") { Description = "The spec's SHA-256, as 'approvals list' shows it." };

        var list = new Command("list", "List job specs awaiting a decision (--all: every decision too).");
        var all = new Option<bool>("--all") { Description = "Also list approved and refused specs." };
        list.Options.Add(all);
        list.SetAction(parse => Run(parse, config, store =>
        {
            var records = store.All().Where(r => parse.GetValue(all) || r.State == ApprovalRecord.Pending).ToList();
            if (records.Count == 0) Console.WriteLine(parse.GetValue(all) ? "no job specs" : "no job specs awaiting a decision");
            foreach (var r in records)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.SpecSha256}  {r.State,-8}  job {r.JobId} ({r.Name}), {string.Join("+", r.Kinds)} on {r.Dataset}, {r.Rounds} rounds, " +
                    $"ε {(r.PlannedEpsilon is { } e ? e.ToString("0.00", CultureInfo.InvariantCulture) : r.Delta is null ? "none (no DP)" : "∞")}, " +
                    $"by {(r.SubmittedBy.Length > 0 ? r.SubmittedBy : "unknown (no TLS)")}, {r.RequestedAt}"));
            return 0;
        }));

        var showSha = Sha();
        var show = new Command("show", "Show everything a job spec would release: columns, rounds, planned ε, kind, submitter, the whole spec.") { showSha };
        show.SetAction(parse => Run(parse, config, store =>
        {
            if (Find(store, parse.GetValue(showSha)!) is not { } record) return Failed;
            Console.WriteLine(JsonSerializer.Serialize(record, ApprovalRecord.Json));
            return 0;
        }));

        var approveSha = Sha();
        var approve = new Command("approve", "Approve exactly this spec hash: the waiting job then runs.") { approveSha, by, note };
        approve.SetAction(parse => Run(parse, config, store =>
            Decide(store, parse.GetValue(approveSha)!, ApprovalRecord.Approved, parse.GetValue(by)!, parse.GetValue(note) ?? "")));

        var refuseSha = Sha();
        var refuse = new Command("refuse", "Refuse this spec hash: the region stays out of the job.") { refuseSha, by, reason };
        refuse.SetAction(parse => Run(parse, config, store =>
            Decide(store, parse.GetValue(refuseSha)!, ApprovalRecord.Refused, parse.GetValue(by)!, parse.GetValue(reason)!)));

        var root = new Command(Name, "Manual approval of jobs for this region (NodeAgent:Policy:Approval = manual).") { list, show, approve, refuse };
        foreach (var command in root.Subcommands) command.Options.Add(config);
        return root;
    }

    private static int Decide(ApprovalStore store, string sha256, string state, string by, string reason)
    {
        if (Find(store, sha256) is not { } record) return Failed;
        if (record.State != ApprovalRecord.Pending)
        {
            Console.Error.WriteLine($"spec {sha256} was already {record.State} by {record.DecidedBy} at {record.DecidedAt}.");
            return Failed;
        }
        if (string.IsNullOrWhiteSpace(by))
        {
            Console.Error.WriteLine("--by must name who decides.");
            return Failed;
        }
        if (state == ApprovalRecord.Refused && string.IsNullOrWhiteSpace(reason))
        {
            Console.Error.WriteLine("--reason must say why the job is refused.");
            return Failed;
        }
        record.State = state;
        record.DecidedBy = by.Trim();
        record.DecidedAt = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        record.Reason = reason.Trim();
        store.Save(record);
        Console.WriteLine($"spec {sha256} {state} by {record.DecidedBy}; the agent applies it when the coordinator next asks for job {record.JobId}.");
        return 0;
    }

    private static ApprovalRecord? Find(ApprovalStore store, string sha256)
    {
        var record = store.Find(sha256.Trim().ToLowerInvariant());
        if (record is null) Console.Error.WriteLine($"no job spec with SHA-256 {sha256} in {store.Folder} (see 'approvals list --all').");
        return record;
    }

    /// <summary>Opens the approvals of the node configuration named by <c>--config</c> and runs <paramref name="action"/> on them.</summary>
    private static int Run(ParseResult parse, Option<string> config, Func<ApprovalStore, int> action)
    {
        try
        {
            using var host = NodeAgentHost.CreateBuilder([ConfigFile.Switch, parse.GetValue(config)!]).Build();
            var state = host.Services.GetRequiredService<IOptions<NodeAgentOptions>>().Value.StateDirectory;
            if (string.IsNullOrWhiteSpace(state))
            {
                Console.Error.WriteLine($"{NodeAgentOptions.SectionName}:StateDirectory is not set in {parse.GetValue(config)}: manual approval keeps its records there.");
                return Failed;
            }
            return action(new ApprovalStore(Path.Combine(state, ApprovalStore.FolderName)));
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures) Console.Error.WriteLine(failure);
            return Failed;
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or IOException)
        {
            Console.Error.WriteLine(e is InvalidOperationException op ? NodeAgentHost.StartupReason(op) : e.Message);
            return Failed;
        }
    }
}
