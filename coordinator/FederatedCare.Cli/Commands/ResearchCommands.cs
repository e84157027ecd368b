using System.CommandLine;
using System.Globalization;
using FederatedCare.Cli.Output;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Spectre.Console;

namespace FederatedCare.Cli.Commands;

/// <summary>Researcher commands (read-only): <c>rounds</c>, <c>metrics</c>, <c>plot</c>, <c>crosssite</c>, <c>download</c>.</summary>
public static class ResearchCommands
{
    /// <summary>
    /// <c>fedcare rounds JOB</c>: the mean test accuracy (regression: RMSE; survival: Harrell's C) per round; jobs with differential privacy get
    /// a column with the ε spent up to each round.
    /// </summary>
    public static Command Rounds()
    {
        var job = new Argument<string>("job") { Description = "Job id." };
        var output = OutputOption.Create();
        var command = new Command("rounds", Help.WithExample(
            "List a job's rounds with participants, mean test accuracy and, with differential privacy, ε.", "fedcare rounds 3f2a9c --output csv")) { job, output };
        command.SetAction((parse, ct) => JobCommands.ExitZeroAfter(async () =>
        {
            var rounds = (await CoordinatorConnection.ResearchClient(parse).ListRoundsAsync(new ListRoundsRequest { JobId = parse.GetRequiredValue(job) }, cancellationToken: ct)).Rounds;
            bool privacy = rounds.Any(r => r.Privacy is not null);
            var headline = HeadlineMetric.Name(rounds.SelectMany(r => r.Metrics).Where(m => m.Split == WireNames.Splits.Test));
            double? Mean(RoundSummary r)
            {
                var test = r.Metrics.Where(m => m.Split == WireNames.Splits.Test).ToList();
                return test.Count == 0 ? null : test.Average(HeadlineMetric.Value);
            }
            DataOutput.Write(parse.GetValue(output),
                () => DataOutput.Table(
                    ["round", "participants", "examples", $"mean test {headline}", .. privacy ? ["privacy spent"] : Array.Empty<string>(), "model sha256"],
                    rounds.Select(r => (string[])
                    [
                        r.Round.ToString(CultureInfo.InvariantCulture), string.Join(", ", r.Participants), r.NumExamples.ToString(CultureInfo.InvariantCulture),
                        Mean(r)?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-",
                        .. privacy ? [r.Privacy is null ? "-" : PrivacyText.EpsilonAtDelta(r.Privacy)] : Array.Empty<string>(),
                        r.ModelSha256.Length > 12 ? r.ModelSha256[..12] : r.ModelSha256,
                    ])),
                () => new
                {
                    headlineMetric = headline,
                    rounds = rounds.Select(r => new
                    {
                        round = r.Round, participants = r.Participants.ToList(), numExamples = r.NumExamples, meanTest = Mean(r),
                        completedAt = JobCommands.Time(r.CompletedAt), durationSeconds = r.DurationSeconds, modelSha256 = r.ModelSha256,
                        privacy = r.Privacy is null ? null : PrivacyText.EpsilonAtDelta(r.Privacy),
                    }),
                },
                () => CsvText.Format(["round", "participants", "num_examples", $"mean_test_{headline}", "privacy", "completed_at", "model_sha256"],
                    rounds.Select(r => new[]
                    {
                        r.Round.ToString(CultureInfo.InvariantCulture), string.Join(";", r.Participants), r.NumExamples.ToString(CultureInfo.InvariantCulture),
                        Mean(r)?.ToString("R", CultureInfo.InvariantCulture) ?? "", r.Privacy is null ? "" : PrivacyText.EpsilonAtDelta(r.Privacy),
                        JobCommands.Time(r.CompletedAt), r.ModelSha256,
                    })));
        }));
        return command;
    }

    /// <summary>
    /// <c>fedcare metrics JOB [--round N] [--csv FILE] [--output table|json|csv]</c>: loss with accuracy, AUC and F1 (classification), RMSE, MAE
    /// and R² (regression) or Harrell's C (survival); a metric a row does not have (accuracy not reported on <c>fit</c> rows, AUC of one class)
    /// shows as <c>-</c>.
    /// </summary>
    public static Command Metrics()
    {
        var job = new Argument<string>("job") { Description = "Job id." };
        var round = new Option<int>("--round") { Description = "One round; default all.", DefaultValueFactory = _ => -1 };
        var csv = new Option<string?>("--csv") { Description = "Write the metrics to this CSV file instead of printing them." };
        var output = OutputOption.Create();
        var command = new Command("metrics", Help.WithExample(
            "Per-round, per-region evaluation metrics: loss, accuracy, AUC and F1 (regression: RMSE, MAE, R²; survival: C-index).",
            "fedcare metrics 3f2a9c --round 15 --output json")) { job, round, csv, output };
        command.SetAction((parse, ct) => JobCommands.ExitZeroAfter(async () =>
        {
            var reply = await CoordinatorConnection.ResearchClient(parse).GetMetricsAsync(
                new GetMetricsRequest { JobId = parse.GetRequiredValue(job), Round = parse.GetValue(round) }, cancellationToken: ct);
            if (parse.GetValue(csv) is { } path)
            {
                MetricsCsv.Write(path, reply.Metrics);
                Console.WriteLine($"wrote {reply.Metrics.Count} rows to {path}");
                return;
            }
            switch (parse.GetValue(output))
            {
                case OutputFormat.Json:
                    JsonOutput.Write(new { metrics = reply.Metrics.OrderBy(m => m.Round).ThenBy(m => m.Region, StringComparer.Ordinal).ThenBy(m => m.Split, StringComparer.Ordinal).Select(MetricsJson) });
                    return;
                case OutputFormat.Csv:
                    Console.Out.Write(MetricsCsv.Format(reply.Metrics));
                    return;
            }
            // Classification rows: accuracy, AUC, F1; regression rows: RMSE, MAE, R²; survival rows: Harrell's C; "-" where a row has none.
            string[] shown = reply.Metrics.Any(HeadlineMetric.IsSurvival) ? [WireNames.Metrics.CIndex]
                : reply.Metrics.Any(HeadlineMetric.IsRegression)
                ? [WireNames.Metrics.Rmse, WireNames.Metrics.Mae, WireNames.Metrics.R2]
                : [WireNames.Metrics.Accuracy, WireNames.Metrics.Auc, WireNames.Metrics.F1];
            var table = new Table().AddColumns(["round", "region", "split", "examples", "loss", .. shown]);
            foreach (var m in reply.Metrics.OrderBy(m => m.Round).ThenBy(m => m.Region, StringComparer.Ordinal))
                table.AddRow([m.Round.ToString(CultureInfo.InvariantCulture), Markup.Escape(m.Region), m.Split, m.NumExamples.ToString(CultureInfo.InvariantCulture),
                    m.Loss.ToString("0.0000", CultureInfo.InvariantCulture),
                    .. shown.Select(name => MetricsChart.Value(m, name)?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-")]);
            AnsiConsole.Write(table);
        }));
        return command;
    }

    /// <summary>
    /// <c>fedcare plot JOB --out FILE.png|FILE.svg [--metric M] [--split test|train|fit]</c>: any metric of
    /// <see cref="MetricsChart.Metrics"/>; the extension picks the format, another one is refused (exit 2) before the
    /// coordinator is asked.
    /// </summary>
    public static Command Plot()
    {
        var job = new Argument<string>("job") { Description = "Job id." };
        var output = new Option<string>("--out") { Description = "Destination .png or .svg file (the extension picks the format).", Required = true };
        var metric = new Option<string>("--metric") { Description = "The metric to plot.", DefaultValueFactory = _ => WireNames.Metrics.Accuracy };
        metric.AcceptOnlyFromAmong([.. MetricsChart.Metrics]);
        var split = new Option<string>("--split") { Description = "Which rows the metric was computed on (test, train, fit).", DefaultValueFactory = _ => WireNames.Splits.Test };
        split.AcceptOnlyFromAmong([.. MetricsChart.Splits]);
        var command = new Command("plot", Help.WithExample(
            "Chart a metric per round: one line per region and their unweighted mean, as PNG or SVG.", "fedcare plot 3f2a9c --out auc.png --metric auc")) { job, output, metric, split };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetRequiredValue(output);
            if (ChartFile.Problem(path) is { } problem)
            {
                Console.Error.WriteLine(problem);
                return 2;
            }
            var jobId = parse.GetRequiredValue(job);
            var reply = await CoordinatorConnection.ResearchClient(parse).GetMetricsAsync(new GetMetricsRequest { JobId = jobId, Round = -1 }, cancellationToken: ct);
            var (name, rows) = (parse.GetRequiredValue(metric), parse.GetRequiredValue(split));
            ChartFile.Write(MetricsChart.Create(MetricsChart.Title(name, rows), reply.Metrics, name, rows, MetricsChart.Subtitle(jobId)), path);
            Console.WriteLine($"wrote {rows} {name} per region to {path}");
            return 0;
        });
        return command;
    }

    /// <summary><c>fedcare crosssite JOB [--csv FILE] [--output table|json|csv]</c>.</summary>
    public static Command CrossSite()
    {
        var job = new Argument<string>("job") { Description = "Job id." };
        var csv = new Option<string?>("--csv") { Description = "Write the matrix to this CSV file instead of printing it." };
        var output = OutputOption.Create();
        var command = new Command("crosssite", Help.WithExample("The cross-site validation matrix: every model on every region's test rows.",
            "fedcare crosssite 3f2a9c --output csv > cross_site.csv")) { job, csv, output };
        command.SetAction((parse, ct) => JobCommands.ExitZeroAfter(async () =>
        {
            var reply = await CoordinatorConnection.ResearchClient(parse).GetCrossSiteMatrixAsync(
                new GetCrossSiteMatrixRequest { JobId = parse.GetRequiredValue(job) }, cancellationToken: ct);
            if (parse.GetValue(csv) is { } path)
            {
                CrossSiteCsv.Write(path, reply.Entries);
                Console.WriteLine($"wrote {reply.Entries.Count} rows to {path}");
                return;
            }
            DataOutput.Write(parse.GetValue(output), () => CrossSiteTable.Create(reply.Entries),
                () => new { entries = reply.Entries.OrderBy(e => e.ModelLabel, StringComparer.Ordinal).ThenBy(e => e.Metrics.Region, StringComparer.Ordinal)
                    .Select(e => new { model = e.ModelLabel, metrics = MetricsJson(e.Metrics) }) },
                () => CrossSiteCsv.Format(reply.Entries));
        }));
        return command;
    }

    /// <summary>
    /// <c>fedcare download JOB [--round N] --out FILE.safetensors</c>: the tensors, with the model's input columns and
    /// normalisation in the file's metadata (<see cref="ModelExport"/>).
    /// </summary>
    public static Command Download()
    {
        var job = new Argument<string>("job") { Description = "Job id." };
        var round = new Option<int>("--round") { Description = "Round; default the latest.", DefaultValueFactory = _ => -1 };
        var output = new Option<string>("--out") { Description = "Destination .safetensors file (PyTorch: safetensors.torch.load_file).", Required = true };
        var command = new Command("download", Help.WithExample("Download a global model as safetensors (a progress bar on a terminal).",
            "fedcare download 3f2a9c --round 15 --out model.safetensors")) { job, round, output };
        command.SetAction((parse, ct) => JobCommands.ExitZeroAfter(async () =>
        {
            var jobId = parse.GetRequiredValue(job);
            using var call = CoordinatorConnection.ResearchClient(parse).DownloadGlobalModel(
                new DownloadGlobalModelRequest { JobId = jobId, Round = parse.GetValue(round) }, cancellationToken: ct);
            var model = await DownloadProgress.ReadAsync(call.ResponseStream, ct);
            var path = parse.GetRequiredValue(output);
            var fileSha = ModelExport.WriteFile(model, path);
            var stored = model.Metadata.GetValueOrDefault(ModelProvenance.Round, "?");
            Console.WriteLine($"wrote round {stored} of job {jobId}: {model.Tensors.Count} tensors ({model.TotalBytes} bytes) to {path}; " +
                $"sha256 of the file {fileSha}");
        }));
        return command;
    }

    /// <summary>One region's metrics row as <c>--output json</c> writes it: every metric it has, by name, none it lacks.</summary>
    private static object MetricsJson(RegionMetrics m) => new
    {
        round = m.Round,
        region = m.Region,
        split = m.Split,
        numExamples = m.NumExamples,
        loss = m.Loss,
        accuracy = HeadlineMetric.HasAccuracy(m) ? m.Accuracy : (double?)null,
        extra = m.Extra.OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary(e => e.Key, e => e.Value),
    };
}
