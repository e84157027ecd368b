using System.CommandLine;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;

namespace FederatedCare.Cli.Commands;

/// <summary>
/// <c>fedcare submit SPEC.json [--seed N] [--rounds N] [--job-id ID] [--initial-model FILE] [--watch] [--out DIR]</c>:
/// starts a job; with <c>--initial-model</c> from the given model (with <c>--rounds 0</c>: only evaluates it).
/// </summary>
public static class SubmitCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var spec = new Argument<string>("spec") { Description = "Job spec JSON file (see examples/)." };
        var seed = new Option<long?>("--seed") { Description = "Override the spec's seed.", CustomParser = WholeNumber.Parse<long> };
        var rounds = new Option<int?>("--rounds") { Description = "Override the spec's number of rounds.", CustomParser = WholeNumber.Parse<int> };
        var jobId = new Option<string?>("--job-id") { Description = "Client-chosen job id; resubmitting it returns the existing job." };
        var watch = new Option<bool>("--watch") { Description = "Follow the job, one line per round, until it ends." };
        var output = new Option<string?>("--out") { Description = "With --watch: write metrics.csv and the final global model here." };
        var initialModel = new Option<string?>("--initial-model")
        {
            Description = "A safetensors file of the job's model layout: uploaded and used as round 0's model; with --rounds 0 the job only " +
                "evaluates it on every region's test rows.",
        };
        var command = new Command("submit", Help.WithExample("Start a training job from a job spec (operators).",
            "fedcare submit examples/heart-disease/fedavg.json --seed 7 --watch --out results")) { spec, seed, rounds, jobId, initialModel, watch, output };
        command.SetAction(async (parse, ct) =>
        {
            JobSpec jobSpec;
            try
            {
                jobSpec = JobSpecFile.Load(parse.GetRequiredValue(spec));
            }
            catch (InvalidDataException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
            if (parse.GetValue(output) is { } directory && JobWatcher.PrepareOutput(directory) is { } problem)
            {
                Console.Error.WriteLine(problem);
                return 2;
            }
            if (parse.GetValue(seed) is { } s) jobSpec.Seed = s;
            if (parse.GetValue(rounds) is { } r) jobSpec.Rounds = r;
            var operatorClient = CoordinatorConnection.OperatorClient(parse);
            JobStatus status;
            try
            {
                if (parse.GetValue(initialModel) is { } modelFile)
                {
                    var uploaded = await InitialModelUpload.UploadAsync(operatorClient, modelFile, ct);
                    jobSpec.InitialModelSha256 = uploaded.Sha256;
                    Console.WriteLine($"uploaded initial model {modelFile}: {uploaded.TotalBytes} bytes, sha256 {uploaded.Sha256}");
                }
                status = await operatorClient.StartJobAsync(new StartJobRequest { Spec = jobSpec, JobId = parse.GetValue(jobId) ?? "" }, cancellationToken: ct);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.AlreadyExists or StatusCode.FailedPrecondition)
            {
                Console.Error.WriteLine($"job refused ({e.StatusCode}): {e.Status.Detail}");
                return 1;
            }
            catch (InvalidDataException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
            Console.WriteLine(jobSpec.Analysis is { } analysis
                ? $"job {status.JobId} submitted: {jobSpec.Name} (analyses: {string.Join(", ", analysis.Steps.Select(s => s.KindCase.ToString().ToLowerInvariant()))})"
                : $"job {status.JobId} submitted: {jobSpec.Name} ({jobSpec.Strategy?.Name}, {jobSpec.Rounds} rounds, seed {jobSpec.Seed})");
            if (!parse.GetValue(watch)) return 0;
            var watcher = new JobWatcher(operatorClient, CoordinatorConnection.ResearchClient(parse));
            return await watcher.WatchAsync(status.JobId, parse.GetValue(output), ct);
        });
        return command;
    }
}
