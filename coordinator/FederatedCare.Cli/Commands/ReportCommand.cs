using System.CommandLine;
using System.Text;
using FederatedCare.Cli.Output;
using FederatedCare.Protos.V1;
using Grpc.Core;

namespace FederatedCare.Cli.Commands;

/// <summary>
/// <c>fedcare report JOB --out DIR</c>: a training job's results as a researcher attaches them to a paper:
/// <c>DIR/report.md</c> (<see cref="ReportMarkdown"/>) and, for each metric of <see cref="ReportMetrics.Of"/>,
/// <c>DIR/&lt;metric&gt;.png</c> and <c>.svg</c> (<see cref="MetricsChart"/>), linked from the report. Read-only
/// (the Research service only); an analysis job is refused (exit 2): <c>fedcare analysis</c> writes its tables.
/// </summary>
public static class ReportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var job = new Argument<string>("job") { Description = "Job id (a training job)." };
        var output = new Option<string>("--out") { Description = "Directory for report.md and the charts (created if missing; files of the same names are replaced).", Required = true };
        var command = new Command("report", Help.WithExample(
            "Write a job's report for a paper: report.md (spec, participants, rounds, final metrics, ε) and PNG and SVG charts.",
            "fedcare report 3f2a9c --out report")) { job, output };
        command.SetAction(async (parse, ct) =>
        {
            var (jobId, directory) = (parse.GetRequiredValue(job), parse.GetRequiredValue(output));
            if (JobWatcher.PrepareOutput(directory) is { } problem)
            {
                Console.Error.WriteLine(problem);
                return 2;
            }
            var research = CoordinatorConnection.ResearchClient(parse);
            // Research.ListJobs, not Operator.GetJob: a researcher's certificate reaches the Research service only.
            var status = (await research.ListJobsAsync(new ListJobsRequest(), cancellationToken: ct)).Jobs.FirstOrDefault(j => j.JobId == jobId);
            if (status is null)
            {
                Console.Error.WriteLine($"NotFound: no job '{jobId}' on the coordinator (fedcare jobs lists them)");
                return 1;
            }
            if (status.Spec.Analysis is not null)
            {
                Console.Error.WriteLine($"job {jobId} is an analysis job: fedcare analysis {jobId} --out {directory} writes its tables");
                return 2;
            }
            var rounds = (await research.ListRoundsAsync(new ListRoundsRequest { JobId = jobId }, cancellationToken: ct)).Rounds;
            var metrics = (await research.GetMetricsAsync(new GetMetricsRequest { JobId = jobId, Round = -1 }, cancellationToken: ct)).Metrics;
            var crossSite = await CrossSiteAsync(research, jobId, ct);

            var test = metrics.Where(m => m.Split == WireNames.Splits.Test).ToList();
            var charts = ReportMetrics.Of(test);
            foreach (var metric in charts)
            {
                var chart = MetricsChart.Create(MetricsChart.Title(metric, WireNames.Splits.Test), test, metric, WireNames.Splits.Test, MetricsChart.Subtitle(jobId));
                ChartFile.Write(chart, Path.Combine(directory, metric + ".png"));
                ChartFile.Write(chart, Path.Combine(directory, metric + ".svg"));
            }
            var report = Path.Combine(directory, ReportMarkdown.FileName);
            File.WriteAllText(report, ReportMarkdown.Format(status, rounds, metrics, crossSite, charts), new UTF8Encoding(false));
            Console.WriteLine($"wrote {report} and {charts.Count * 2} charts ({string.Join(", ", charts)}) to {directory}");
            return 0;
        });
        return command;
    }

    /// <summary>The job's cross-site matrix, or none when the job has no cross-site validation (or it is not done).</summary>
    private static async Task<IReadOnlyList<CrossSiteEntry>> CrossSiteAsync(Research.ResearchClient research, string jobId, CancellationToken ct)
    {
        try
        {
            return (await research.GetCrossSiteMatrixAsync(new GetCrossSiteMatrixRequest { JobId = jobId }, cancellationToken: ct)).Entries;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.Unimplemented)
        {
            return [];
        }
    }
}
