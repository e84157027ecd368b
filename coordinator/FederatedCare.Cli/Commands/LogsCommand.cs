using System.CommandLine;
using FederatedCare.Cli.Output;
using FederatedCare.Protos.V1;

namespace FederatedCare.Cli.Commands;

/// <summary>
/// <c>fedcare logs JOB [--output table|json|csv]</c>: what the coordinator recorded of one job — its audit entries
/// (submission, rounds' accepted and rejected updates, refusals, the end), read a bounded page at a time over
/// Operator.ListAudit, in chain order — after the job's current status line.
/// </summary>
public static class LogsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var job = new Argument<string>("job") { Description = "Job id." };
        var output = OutputOption.Create();
        var command = new Command("logs", Help.WithExample("Show a job's coordinator-side events (its audit entries; operators).",
            "fedcare logs 3f2a9c --output csv > events.csv")) { job, output };
        command.SetAction((parse, ct) => JobCommands.ExitZeroAfter(async () =>
        {
            var client = CoordinatorConnection.OperatorClient(parse);
            var jobId = parse.GetRequiredValue(job);
            // GetJob first: an unknown job is NotFound rather than an empty list.
            var status = await client.GetJobAsync(new GetJobRequest { JobId = jobId }, cancellationToken: ct);
            var records = await AuditCommand.ReadAllAsync(client, new ListAuditRequest { JobId = jobId }, ct);
            var format = parse.GetValue(output);
            if (format == OutputFormat.Table) Console.WriteLine($"{status.JobId}  {status.State}  round {status.CurrentRound}/{status.Spec.Rounds}  {status.Message}");
            DataOutput.Write(format, () => AuditCommand.Table(records),
                () => new { jobId = status.JobId, state = status.State.ToString(), message = status.Message, events = records.Select(AuditCommand.Json) },
                () => AuditCsv.Format(records));
        }));
        return command;
    }
}
