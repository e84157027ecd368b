using FederatedCare.Cli.Output;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;

namespace FederatedCare.Cli.Commands;

/// <summary>
/// Follows a job's events to its end, printing one line per round and the job's status message when it changes between
/// rounds (see <see cref="WatchProgress"/>), and on success writes the results to an output
/// directory: <c>metrics.csv</c> (federated evaluation on each region's test rows), <c>train_metrics.csv</c> (what
/// nodes reported about their local training), <c>accuracy.svg</c> (test accuracy per region and round, when evaluated;
/// <c>rmse.svg</c> for regression, <c>c_index.svg</c> for a survival model),
/// <c>cross_site.csv</c> (when the job ran cross-site validation),
/// <c>global_model.safetensors</c> (not for a local-mode job, which has none) and <c>job.json</c>; for an analysis job
/// its result tables (<see cref="AnalysisCsv"/>) and <c>job.json</c>.
/// </summary>
public sealed class JobWatcher(Operator.OperatorClient operatorClient, Research.ResearchClient researchClient)
{
    /// <summary>
    /// Watches until the job ends; returns the process exit code (0 when it succeeded, <see cref="CliErrors.Cancelled"/>
    /// when the watch was cancelled: the job itself goes on).
    /// </summary>
    public async Task<int> WatchAsync(string jobId, string? outputDirectory, CancellationToken ct)
    {
        try
        {
            await FollowAsync(jobId, ct);
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            Console.Error.WriteLine($"cancelled; the job keeps running on the coordinator (fedcare abort {jobId} stops it)");
            return CliErrors.Cancelled;
        }
        var last = await operatorClient.GetJobAsync(new GetJobRequest { JobId = jobId }, cancellationToken: ct);
        if (outputDirectory is not null) await WriteResultsAsync(last, outputDirectory, ct);
        Console.WriteLine($"job {jobId} {Describe(last.State)} after {WatchProgress.SinceSubmitted(last, last.UpdatedAt).TotalSeconds:0.0} s{(string.IsNullOrEmpty(last.Message) ? "" : ": " + last.Message)}");
        return last.State == JobState.Succeeded ? 0 : 1;
    }

    /// <summary>
    /// Makes sure the results can go to <paramref name="outputDirectory"/> before a job is followed: an existing directory,
    /// or one it creates now. Returns the one-line problem, or null.
    /// </summary>
    public static string? PrepareOutput(string outputDirectory)
    {
        try
        {
            Directory.CreateDirectory(outputDirectory);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"--out: '{outputDirectory}' cannot be the results directory ({e.Message})";
        }
    }

    /// <summary>How long a watcher keeps trying to reach a coordinator that went away.</summary>
    public static readonly TimeSpan ReconnectWindow = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Prints the job's progress until its event stream ends. Once connected, a watch outlives a coordinator restart (it
    /// resumes running jobs) for up to <see cref="ReconnectWindow"/>; a coordinator never reached fails at once.
    /// </summary>
    private Task FollowAsync(string jobId, CancellationToken ct)
    {
        // Both on a terminal: the round lines go through the live display's console, above a bar of the rounds done
        // whose label is the job's status message (waiting for clients, a round's phase).
        if (!TerminalProgress.Shown || Console.IsOutputRedirected)
            return FollowAsync(jobId, (_, line) => { if (line is not null) Console.WriteLine(line); }, ct);
        return TerminalProgress.RunAsync(async context =>
        {
            var bar = context.AddTask("waiting", maxValue: 1);
            await FollowAsync(jobId, (e, line) =>
            {
                if (line is not null) Spectre.Console.AnsiConsoleExtensions.WriteLine(TerminalProgress.Stderr, line);
                bar.MaxValue = Math.Max(1, e.Status.Spec.Rounds);
                bar.Value = Math.Min(bar.MaxValue, e.Status.CurrentRound);
                bar.Description = Spectre.Console.Markup.Escape(e.Status.Message.Length > 60 ? e.Status.Message[..60] + "…" : e.Status.Message);
            }, ct);
            return true;
        }, bytes: false);
    }

    private async Task FollowAsync(string jobId, Action<JobEvent, string?> onEvent, CancellationToken ct)
    {
        var progress = new WatchProgress();
        var reconnectUntil = DateTime.MaxValue;
        bool connected = false;
        while (true)
        {
            try
            {
                using var call = operatorClient.WatchJob(new GetJobRequest { JobId = jobId }, cancellationToken: ct);
                await foreach (var e in call.ResponseStream.ReadAllAsync(ct))
                {
                    (connected, reconnectUntil) = (true, DateTime.MaxValue);
                    onEvent(e, progress.Line(e));
                }
                break;
            }
            catch (RpcException e) when (connected && e.StatusCode is StatusCode.Unavailable or StatusCode.Internal && DateTime.UtcNow < reconnectUntil)
            {
                // The coordinator restarted (it resumes running jobs): follow the job again once it is back.
                if (reconnectUntil == DateTime.MaxValue)
                {
                    Console.Error.WriteLine($"lost the coordinator ({e.Status.Detail}); reconnecting for up to {ReconnectWindow.TotalSeconds:0} s");
                    reconnectUntil = DateTime.UtcNow + ReconnectWindow;
                }
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    /// <summary>Writes metrics.csv, the latest global model and the job status into the directory.</summary>
    public async Task WriteResultsAsync(JobStatus job, string outputDirectory, CancellationToken ct)
    {
        Directory.CreateDirectory(outputDirectory);
        if (job.Spec.Analysis is not null)
        {
            // An analysis job has no rounds, metrics or model: its results are tables.
            var results = await researchClient.GetAnalysisResultsAsync(new GetAnalysisResultsRequest { JobId = job.JobId }, cancellationToken: ct);
            AnalysisText.Print(results.Results);
            AnalysisCsv.WriteAll(outputDirectory, results.Results);
            File.WriteAllText(Path.Combine(outputDirectory, "job.json"), Google.Protobuf.JsonFormatter.Default.Format(job) + "\n");
            return;
        }
        var metrics = await researchClient.GetMetricsAsync(new GetMetricsRequest { JobId = job.JobId, Round = -1 }, cancellationToken: ct);
        MetricsCsv.Write(Path.Combine(outputDirectory, "metrics.csv"), metrics.Metrics.Where(m => m.Split == "test"));
        MetricsCsv.Write(Path.Combine(outputDirectory, "train_metrics.csv"), metrics.Metrics.Where(m => m.Split != "test"));
        var test = metrics.Metrics.Where(m => m.Split == WireNames.Splits.Test).ToList();
        if (test.Count > 0)
        {
            var headline = HeadlineMetric.Name(test);
            ChartFile.Write(MetricsChart.Create(MetricsChart.Title(headline, WireNames.Splits.Test), test, headline, WireNames.Splits.Test, MetricsChart.Subtitle(job.JobId)),
                Path.Combine(outputDirectory, headline + ".svg"));
        }
        try
        {
            var matrix = await researchClient.GetCrossSiteMatrixAsync(new GetCrossSiteMatrixRequest { JobId = job.JobId }, cancellationToken: ct);
            CrossSiteCsv.Write(Path.Combine(outputDirectory, "cross_site.csv"), matrix.Entries);
            Console.WriteLine($"cross-site validation (test {HeadlineMetric.Name(matrix.Entries.Select(e => e.Metrics))}):");
            Spectre.Console.AnsiConsole.Write(CrossSiteTable.Create(matrix.Entries));
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.Unimplemented)
        {
            // No cross-site validation in this job.
        }
        File.WriteAllText(Path.Combine(outputDirectory, "job.json"), Google.Protobuf.JsonFormatter.Default.Format(job) + "\n");
        try
        {
            using var download = researchClient.DownloadGlobalModel(new DownloadGlobalModelRequest { JobId = job.JobId, Round = -1 }, cancellationToken: ct);
            var model = await DownloadProgress.ReadAsync(download.ResponseStream, ct);
            ModelExport.WriteFile(model, Path.Combine(outputDirectory, "global_model.safetensors"));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            // No model yet, or a local-mode job, which has none: the coordinator says which.
            Console.WriteLine(e.Status.Detail);
        }
    }

    private static string Describe(JobState state) => state switch
    {
        JobState.Succeeded => "succeeded",
        JobState.Failed => "failed",
        JobState.Aborted => "was aborted",
        _ => state.ToString().ToLowerInvariant(),
    };
}
