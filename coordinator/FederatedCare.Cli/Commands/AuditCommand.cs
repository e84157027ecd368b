using System.CommandLine;
using System.Globalization;
using FederatedCare.Cli.Output;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Spectre.Console;

namespace FederatedCare.Cli.Commands;

/// <summary>
/// <c>fedcare audit [--job J] [--region R] [--action A] [--output table|json|csv] [--csv FILE | --json FILE] [--verify]</c>:
/// the coordinator's hash-chained audit table (Operator.ListAudit, read a page at a time) as a table, CSV or JSON on
/// stdout, or written to a file; <c>--verify</c>
/// reads the whole chain and recomputes every hash here (<see cref="AuditChain.Verify"/>), printing <c>OK</c> with
/// the count or the first broken entry (exit code 1).
/// </summary>
public static class AuditCommand
{
    /// <summary>Exit code when the chain does not verify.</summary>
    public const int Broken = 1;

    // Entries per ListAudit call (the coordinator's most).
    private const int Page = 1000;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var job = new Option<string?>("--job") { Description = "Only this job's entries." };
        var region = new Option<string?>("--region") { Description = "Only entries a region's node made." };
        var action = new Option<string?>("--action") { Description = "Only this action (e.g. job.refused, update.accepted)." };
        var csv = new Option<string?>("--csv") { Description = "Write the entries to this CSV file instead of printing them." };
        var json = new Option<string?>("--json") { Description = "Write the entries to this JSON file instead of printing them." };
        var verify = new Option<bool>("--verify") { Description = "Check the whole chain: no entry changed, removed or moved." };
        var output = OutputOption.Create();
        var command = new Command("audit", Help.WithExample("List the coordinator's audit log (operators), or verify its hash chain.",
            "fedcare audit --job 3f2a9c --output json")) { job, region, action, output, csv, json, verify };
        command.Validators.Add(result =>
        {
            if (result.GetValue(verify) && (result.GetValue(job) ?? result.GetValue(region) ?? result.GetValue(action)) is not null)
                result.AddError("--verify checks the whole chain; leave out --job, --region and --action.");
            if (result.GetValue(csv) is not null && result.GetValue(json) is not null) result.AddError("Give at most one of --csv and --json.");
        });
        command.SetAction(async (parse, ct) =>
        {
            var client = CoordinatorConnection.OperatorClient(parse);
            var request = new ListAuditRequest
            {
                JobId = parse.GetValue(job) ?? "",
                Region = parse.GetValue(region) ?? "",
                Action = parse.GetValue(action) ?? "",
            };
            var records = await ReadAllAsync(client, request, ct);
            if (parse.GetValue(verify))
            {
                var result = AuditChain.Verify(records);
                if (!result.Valid)
                {
                    Console.Error.WriteLine($"BROKEN: {result.Error}");
                    return Broken;
                }
                Console.WriteLine($"OK: {result.Entries} entries, last hash {result.LastHash}");
                return 0;
            }
            if (parse.GetValue(csv) is { } csvPath)
            {
                AuditCsv.Write(csvPath, records);
                Console.WriteLine($"wrote {records.Count} entries to {csvPath}");
            }
            else if (parse.GetValue(json) is { } jsonPath)
            {
                var response = new ListAuditResponse { Records = { records } };
                File.WriteAllText(jsonPath, Google.Protobuf.JsonFormatter.Default.Format(response) + "\n");
                Console.WriteLine($"wrote {records.Count} entries to {jsonPath}");
            }
            else DataOutput.Write(parse.GetValue(output), () => Table(records), () => new { entries = records.Select(Json) }, () => AuditCsv.Format(records));
            return 0;
        });
        return command;
    }

    /// <summary>Every entry passing <paramref name="request"/>'s filters, page after page.</summary>
    public static async Task<List<AuditRecord>> ReadAllAsync(Operator.OperatorClient client, ListAuditRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        var all = new List<AuditRecord>();
        var page = request.Clone();
        page.Limit = Page;
        while (true)
        {
            var response = await client.ListAuditAsync(page, cancellationToken: ct);
            all.AddRange(response.Records);
            if (response.NextAfterSeq == 0) return all;
            page.AfterSeq = response.NextAfterSeq;
        }
    }

    /// <summary>An entry's <c>--output json</c> object.</summary>
    internal static object Json(AuditRecord r) => new
    {
        seq = r.Seq, time = AuditCsv.Time(r), actor = r.Actor, action = r.Action, jobId = r.JobId,
        round = r.HasRound ? r.Round : (int?)null, detail = r.Detail, prevHash = r.PrevHash, hash = r.Hash,
    };

    /// <summary>The entries as a console table (hashes shortened to 12 hex digits).</summary>
    internal static Table Table(IEnumerable<AuditRecord> records)
    {
        var table = new Table().AddColumns("seq", "time (UTC)", "actor", "action", "job", "round", "detail", "hash");
        foreach (var r in records)
            table.AddRow(r.Seq.ToString(CultureInfo.InvariantCulture), AuditCsv.Time(r), Markup.Escape(r.Actor), Markup.Escape(r.Action),
                Markup.Escape(r.JobId), r.HasRound ? r.Round.ToString(CultureInfo.InvariantCulture) : "", Markup.Escape(r.Detail), r.Hash[..12]);
        return table;
    }
}
