using System.CommandLine;
using FederatedCare.Cli.Output;
using FederatedCare.Protos.V1;

namespace FederatedCare.Cli.Commands;

/// <summary>
/// <c>fedcare analysis JOB [--out DIR]</c>: the results of an analysis job (one per finished analysis), printed as
/// tables and, with <c>--out</c>, written as <c>DIR/&lt;table&gt;.csv</c> (<see cref="AnalysisCsv"/>).
/// </summary>
public static class AnalysisCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var job = new Argument<string>("job") { Description = "Job id (an analysis job: spec.analysis)." };
        var output = new Option<string?>("--out") { Description = "Write each result table as DIR/<table>.csv." };
        var command = new Command("analysis", "Show an analysis job's results (e.g. a Cox model) and write its tables as CSV.") { job, output };
        command.SetAction((parse, ct) => JobCommands.ExitZeroAfter(async () =>
        {
            var reply = await CoordinatorConnection.ResearchClient(parse).GetAnalysisResultsAsync(
                new GetAnalysisResultsRequest { JobId = parse.GetRequiredValue(job) }, cancellationToken: ct);
            AnalysisText.Print(reply.Results);
            if (reply.Results.Count == 0) Console.WriteLine("no analysis finished yet");
            if (parse.GetValue(output) is { } directory)
                foreach (var path in AnalysisCsv.WriteAll(directory, reply.Results)) Console.WriteLine($"wrote {path}");
        }));
        return command;
    }
}
