using System.CommandLine;
using FederatedCare.Cli.Output;
using FederatedCare.Protos.V1;

namespace FederatedCare.Cli.Commands;

/// <summary>
/// <c>fedcare analysis JOB [--out DIR] [--output table|json]</c>: the results of an analysis job (one per finished analysis), printed as
/// tables and, with <c>--out</c>, written as <c>DIR/&lt;table&gt;.csv</c> (<see cref="AnalysisCsv"/>).
/// </summary>
public static class AnalysisCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var job = new Argument<string>("job") { Description = "Job id (an analysis job: spec.analysis)." };
        var output = new Option<string?>("--out") { Description = "Write each result table as DIR/<table>.csv." };
        var format = OutputOption.Create(csv: false);
        var command = new Command("analysis", Help.WithExample("Show an analysis job's results (e.g. a Cox model) and write its tables as CSV.",
            "fedcare analysis 3f2a9c --out results/")) { job, output, format };
        command.SetAction((parse, ct) => JobCommands.ExitZeroAfter(async () =>
        {
            var reply = await CoordinatorConnection.ResearchClient(parse).GetAnalysisResultsAsync(
                new GetAnalysisResultsRequest { JobId = parse.GetRequiredValue(job) }, cancellationToken: ct);
            bool json = parse.GetValue(format) == OutputFormat.Json;
            if (json) JsonOutput.Write(new { results = reply.Results.Select(Json) });
            else AnalysisText.Print(reply.Results);
            if (reply.Results.Count == 0 && !json) Console.WriteLine("no analysis finished yet");
            if (parse.GetValue(output) is { } directory)
                foreach (var path in AnalysisCsv.WriteAll(directory, reply.Results))
                    if (json) Console.Error.WriteLine($"wrote {path}");
                    else Console.WriteLine($"wrote {path}");
        }));
        return command;
    }

    /// <summary>A result's <c>--output json</c> object: its tables' cells stay text, as the coordinator sent them (every digit).</summary>
    private static object Json(AnalysisResult r) => new
    {
        step = r.Step,
        kind = r.Kind,
        summary = r.Summary,
        tables = r.Tables.Select(t => new { name = t.Name, columns = t.Columns.ToList(), rows = t.Rows.Select(row => row.Cells.ToList()) }),
    };
}
