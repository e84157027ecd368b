using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FederatedCare.Protos.V1;
using Google.Protobuf;

namespace FederatedCare.Cli.Output;

/// <summary>
/// The Markdown summary of a training job that <c>fedcare report</c> writes as <c>report.md</c>: the spec (with its
/// SHA-256), the participants, one row per round (participants, examples, mean test metrics, ε with differential
/// privacy), the final metrics per region, the cross-site matrix when the job has one, and links to the charts.
/// Everything comes from the job's stored results, ordered and formatted invariantly (no clock, no culture): the same
/// job gives the same bytes.
/// </summary>
public static class ReportMarkdown
{
    /// <summary>The report's file name in the output directory.</summary>
    public const string FileName = "report.md";

    /// <summary>The SHA-256 (lower-case hex) of the spec's protobuf encoding: the hash each region's node computes and its approvals name.</summary>
    public static string SpecSha256(JobSpec spec) => Convert.ToHexStringLower(SHA256.HashData(spec.ToByteArray()));

    /// <summary>
    /// The report of <paramref name="job"/> from its <paramref name="rounds"/>, its <paramref name="metrics"/> (every
    /// round's rows), its cross-site matrix (empty when it has none) and the metrics charted as
    /// <c>&lt;metric&gt;.png</c> and <c>.svg</c> beside the report.
    /// </summary>
    public static string Format(JobStatus job, IReadOnlyList<RoundSummary> rounds, IReadOnlyList<RegionMetrics> metrics,
        IReadOnlyList<CrossSiteEntry> crossSite, IReadOnlyList<string> charts)
    {
        ArgumentNullException.ThrowIfNull(job);
        var test = metrics.Where(m => m.Split == WireNames.Splits.Test).ToList();
        var shown = ReportMetrics.Of(test);
        var md = new StringBuilder();
        md.Append("# Job report: ").Append(Text(job.Spec.Name.Length > 0 ? job.Spec.Name : job.JobId)).Append("\n\n");
        md.Append("Job `").Append(job.JobId).Append("` on dataset `").Append(job.Spec.Dataset).Append("`: ")
          .Append(job.State.ToString()).Append(job.Message.Length > 0 ? " (" + Text(job.Message) + ")" : "")
          .Append(", round ").Append(Int(job.CurrentRound)).Append(" of ").Append(Int(job.Spec.Rounds)).Append(".\n\n");
        Spec(md, job);
        Participants(md, rounds, metrics);
        Rounds(md, rounds, test, shown);
        Final(md, test, shown);
        CrossSite(md, crossSite);
        Charts(md, charts);
        return md.ToString();
    }

    private static void Spec(StringBuilder md, JobStatus job)
    {
        var s = job.Spec;
        md.Append("## Spec\n\n| setting | value |\n| --- | --- |\n");
        void Row(string name, string value) => md.Append("| ").Append(name).Append(" | ").Append(value).Append(" |\n");
        Row("model", Code(s.Model?.Name ?? "") + Pairs(s.Model?.Hyperparameters.Select(kv => (kv.Key, kv.Value))));
        Row("strategy", Code(s.Strategy?.Name ?? "") + Pairs(s.Strategy?.Parameters.Select(kv => (kv.Key, Number(kv.Value)))));
        Row("mode", ProtoEnums.Name(s.Mode));
        Row("rounds", Int(s.Rounds));
        Row("seed", s.Seed.ToString(CultureInfo.InvariantCulture));
        Row("regions", s.Regions.Count == 0 ? "any with the dataset" : Text(string.Join(", ", s.Regions)));
        Row("client selection", $"fraction_fit {Number(s.FractionFit)}, min_fit_clients {Int(s.MinFitClients)}, min_available_clients {Int(s.MinAvailableClients)}");
        if (s.Local is { } local)
            Row("local training", (local.LocalSteps > 0 ? $"{Int(local.LocalSteps)} steps" : $"{Int(local.LocalEpochs)} epochs") +
                $", batch size {Int(local.BatchSize)}, {ProtoEnums.Name(local.Optimizer)}, learning rate {Number(local.LearningRate)}");
        Row("evaluation", s.EvaluateEvery switch
        {
            1 => "every round",
            > 1 => $"every {Int(s.EvaluateEvery)} rounds, after round 0 and after the last",
            _ => "after round 0 and after the last",
        });
        Row("update encoding", ProtoEnums.Name(s.UpdateEncoding));
        Row("cross-site validation", s.CrossSiteValidation || s.Mode == JobMode.Local ? "yes" : "no");
        if (s.Privacy is { } p)
            Row("differential privacy", $"DP-FedAvg, clipping norm {Number(p.ClippingNorm)}, noise multiplier {Number(p.NoiseMultiplier)}, " +
                $"{ProtoEnums.Name(p.Clipping)}, δ {(p.TargetDelta > 0 ? p.TargetDelta.ToString("0.##e0", CultureInfo.InvariantCulture) : "1e-5 (default)")}");
        if (job.SubmittedBy.Length > 0) Row("submitted by", Text(job.SubmittedBy));
        Row("spec SHA-256", Code(SpecSha256(s)));
        md.Append("\nThe spec SHA-256 is taken over the spec's protobuf encoding, as each region's node computes it: ")
          .Append("the hash a region's approvals name.\n\n");
    }

    private static void Participants(StringBuilder md, IReadOnlyList<RoundSummary> rounds, IReadOnlyList<RegionMetrics> metrics)
    {
        var regions = rounds.SelectMany(r => r.Participants).Concat(metrics.Select(m => m.Region)).Distinct().Order(StringComparer.Ordinal).ToList();
        md.Append("## Participants\n\n");
        if (regions.Count == 0)
        {
            md.Append("No region has taken part yet.\n\n");
            return;
        }
        md.Append("| region | rounds trained | training examples | test examples |\n| --- | ---: | ---: | ---: |\n");
        foreach (var region in regions)
        {
            // The latest update's num_examples (its weight in the aggregate) and the latest test evaluation's rows.
            string Latest(string split) => metrics.Where(m => m.Region == region && m.Split == split).MaxBy(m => m.Round) is { } m
                ? m.NumExamples.ToString(CultureInfo.InvariantCulture) : "-";
            md.Append("| ").Append(Text(region)).Append(" | ").Append(Int(rounds.Count(r => r.Round > 0 && r.Participants.Contains(region))))
              .Append(" | ").Append(Latest(WireNames.Splits.Fit)).Append(" | ").Append(Latest(WireNames.Splits.Test)).Append(" |\n");
        }
        md.Append('\n');
    }

    private static void Rounds(StringBuilder md, IReadOnlyList<RoundSummary> rounds, List<RegionMetrics> test, IReadOnlyList<string> shown)
    {
        bool privacy = rounds.Any(r => r.Privacy is not null);
        md.Append("## Rounds\n\nRound 0 is the initial model (its participant: the region that supplied it). Test metrics are unweighted means over the regions that evaluated the round's global model");
        md.Append(privacy ? "; ε is the privacy spent up to and including the round.\n\n" : ".\n\n");
        md.Append("| round | participants | examples |");
        foreach (var metric in shown) md.Append(" test ").Append(metric).Append(" |");
        if (privacy) md.Append(" privacy spent |");
        md.Append("\n| ---: | --- | ---: |").Append(string.Concat(shown.Select(_ => " ---: |"))).Append(privacy ? " ---: |\n" : "\n");
        foreach (var r in rounds.OrderBy(r => r.Round))
        {
            var rows = test.Where(m => m.Round == r.Round).ToList();
            md.Append("| ").Append(Int(r.Round)).Append(" | ")
              .Append(r.Participants.Count == 0 ? "-" : Text(string.Join(", ", r.Participants.Order(StringComparer.Ordinal))))
              .Append(r.Round == 0 && r.Participants.Count > 0 ? " (initial model)" : "").Append(" | ")
              .Append(r.NumExamples.ToString(CultureInfo.InvariantCulture)).Append(" |");
            foreach (var metric in shown) md.Append(' ').Append(Metric(ReportMetrics.Mean(rows, metric))).Append(" |");
            if (privacy) md.Append(' ').Append(r.Privacy is null ? "-" : PrivacyText.EpsilonAtDelta(r.Privacy)).Append(" |");
            md.Append('\n');
        }
        md.Append('\n');
    }

    private static void Final(StringBuilder md, List<RegionMetrics> test, IReadOnlyList<string> shown)
    {
        md.Append("## Final metrics per region\n\n");
        if (test.Count == 0)
        {
            md.Append("No region has evaluated a global model yet.\n\n");
            return;
        }
        int last = test.Max(m => m.Round);
        var rows = test.Where(m => m.Round == last).OrderBy(m => m.Region, StringComparer.Ordinal).ToList();
        md.Append("The global model after round ").Append(Int(last)).Append(" (the last evaluated) on each region's test rows.\n\n");
        md.Append("| region | examples |").Append(string.Concat(shown.Select(m => $" {m} |")))
          .Append("\n| --- | ---: |").Append(string.Concat(shown.Select(_ => " ---: |"))).Append('\n');
        foreach (var m in rows)
            md.Append("| ").Append(Text(m.Region)).Append(" | ").Append(m.NumExamples.ToString(CultureInfo.InvariantCulture)).Append(" |")
              .Append(string.Concat(shown.Select(metric => $" {Metric(MetricsChart.Value(m, metric))} |"))).Append('\n');
        md.Append("| mean (unweighted) | ").Append(rows.Sum(m => m.NumExamples).ToString(CultureInfo.InvariantCulture)).Append(" |")
          .Append(string.Concat(shown.Select(metric => $" {Metric(ReportMetrics.Mean(rows, metric))} |"))).Append("\n\n");
    }

    private static void CrossSite(StringBuilder md, IReadOnlyList<CrossSiteEntry> entries)
    {
        if (entries.Count == 0) return;
        var headline = HeadlineMetric.Name(entries.Select(e => e.Metrics));
        var regions = entries.Select(e => e.Metrics.Region).Distinct().Order(StringComparer.Ordinal).ToList();
        md.Append("## Cross-site validation\n\nTest ").Append(headline)
          .Append(" of each model (rows: the final global model, each region's final local model) on each region's test rows (columns).\n\n");
        md.Append("| model \\ test rows of |").Append(string.Concat(regions.Select(r => $" {Text(r)} |")))
          .Append("\n| --- |").Append(string.Concat(regions.Select(_ => " ---: |"))).Append('\n');
        foreach (var model in entries.GroupBy(e => e.ModelLabel).OrderBy(g => g.Key, StringComparer.Ordinal))
            md.Append("| ").Append(Text(model.Key)).Append(" |")
              .Append(string.Concat(regions.Select(r => $" {Metric(model.FirstOrDefault(e => e.Metrics.Region == r)?.Metrics is { } m ? HeadlineMetric.Value(m) : null)} |")))
              .Append('\n');
        md.Append('\n');
    }

    private static void Charts(StringBuilder md, IReadOnlyList<string> charts)
    {
        if (charts.Count == 0) return;
        md.Append("## Charts\n\nOne line per region and their unweighted mean (thick black), per round.\n\n");
        foreach (var metric in charts)
            md.Append("![test ").Append(metric).Append(" per region](").Append(metric).Append(".png)\n\n")
              .Append("[").Append(metric).Append(".svg](").Append(metric).Append(".svg) (vector)\n\n");
    }

    private static string Pairs(IEnumerable<(string Key, string Value)>? pairs)
    {
        var sorted = (pairs ?? []).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{Text(p.Key)} {Text(p.Value)}").ToList();
        return sorted.Count == 0 ? "" : " (" + string.Join(", ", sorted) + ")";
    }

    private static string Metric(double? value) => value?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-";

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Code(string value) => value.Length == 0 ? "-" : $"`{value.Replace("`", "'", StringComparison.Ordinal)}`";

    /// <summary>Text from the job (names, messages) with Markdown's table and emphasis characters escaped.</summary>
    private static string Text(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '\\' or '|' or '*' or '_' or '`' or '[' or ']' or '<' or '>' or '#') sb.Append('\\');
            sb.Append(c is '\r' or '\n' ? ' ' : c);
        }
        return sb.ToString();
    }
}
