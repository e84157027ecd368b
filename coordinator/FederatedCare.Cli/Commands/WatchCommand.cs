using System.CommandLine;

namespace FederatedCare.Cli.Commands;

/// <summary><c>fedcare watch JOB [--out DIR]</c>: follows a running job to its end.</summary>
public static class WatchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var job = new Argument<string>("job") { Description = "Job id." };
        var output = new Option<string?>("--out") { Description = "Write metrics.csv and the final global model here." };
        var command = new Command("watch", Help.WithExample("Follow a job, one line per round, until it ends (operators and researchers).",
            "fedcare watch 3f2a9c --out results")) { job, output };
        command.SetAction((parse, ct) =>
        {
            if (parse.GetValue(output) is { } directory && JobWatcher.PrepareOutput(directory) is { } problem)
            {
                Console.Error.WriteLine(problem);
                return Task.FromResult(2);
            }
            return new JobWatcher(CoordinatorConnection.OperatorClient(parse), CoordinatorConnection.ResearchClient(parse))
                .WatchAsync(parse.GetRequiredValue(job), parse.GetValue(output), ct);
        });
        return command;
    }
}
