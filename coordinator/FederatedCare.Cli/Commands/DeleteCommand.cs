using System.CommandLine;
using FederatedCare.Protos.V1;

namespace FederatedCare.Cli.Commands;

/// <summary>
/// <c>fedcare delete JOB</c>: removes a finished job's rows (rounds, metrics, cross-site matrix, analysis results) and
/// model files on the coordinator (Operator.DeleteJob, audited as <c>job.deleted</c>; the audit log keeps the job's
/// entries). A pending or running job is refused (FailedPrecondition: abort it first).
/// </summary>
public static class DeleteCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var job = new Argument<string>("job") { Description = "Job id of a finished job (succeeded, failed or aborted)." };
        var command = new Command("delete", Help.WithExample(
            "Delete a finished job's rows and model files on the coordinator (operators; audited).", "fedcare delete 3f2a9c")) { job };
        command.SetAction((parse, ct) => JobCommands.ExitZeroAfter(async () =>
        {
            var deleted = await CoordinatorConnection.OperatorClient(parse).DeleteJobAsync(new DeleteJobRequest { JobId = parse.GetRequiredValue(job) }, cancellationToken: ct);
            Console.WriteLine($"deleted job {deleted.JobId} ({deleted.State})");
        }));
        return command;
    }
}
