using System.CommandLine;
using FederatedCare.Protos.V1;
using Grpc.Core;

namespace FederatedCare.Cli.Commands;

/// <summary>
/// <c>fedcare clone JOB [--seed N] [--rounds N] [--job-id ID]</c>: submits a copy of a job's spec (read with
/// Operator.GetJob), with the given overrides, as a new job; prints the new job's id.
/// </summary>
public static class CloneCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var job = new Argument<string>("job") { Description = "The job whose spec to copy." };
        var seed = new Option<long?>("--seed") { Description = "Override the copied spec's seed.", CustomParser = WholeNumber.Parse<long> };
        var rounds = new Option<int?>("--rounds") { Description = "Override the copied spec's number of rounds.", CustomParser = WholeNumber.Parse<int> };
        var jobId = new Option<string?>("--job-id") { Description = "Client-chosen id for the new job; resubmitting it returns the existing job." };
        var command = new Command("clone", Help.WithExample("Submit a copy of a job's spec as a new job (operators); prints the new job's id.",
            "fedcare clone 3f2a9c --seed 7 --rounds 30")) { job, seed, rounds, jobId };
        command.SetAction(async (parse, ct) =>
        {
            var client = CoordinatorConnection.OperatorClient(parse);
            var source = await client.GetJobAsync(new GetJobRequest { JobId = parse.GetRequiredValue(job) }, cancellationToken: ct);
            var spec = source.Spec.Clone();
            if (parse.GetValue(seed) is { } s) spec.Seed = s;
            if (parse.GetValue(rounds) is { } r) spec.Rounds = r;
            try
            {
                var status = await client.StartJobAsync(new StartJobRequest { Spec = spec, JobId = parse.GetValue(jobId) ?? "" }, cancellationToken: ct);
                Console.WriteLine(status.JobId);
                return 0;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.AlreadyExists or StatusCode.FailedPrecondition)
            {
                Console.Error.WriteLine($"job refused ({e.StatusCode}): {e.Status.Detail}");
                return 1;
            }
        });
        return command;
    }
}
