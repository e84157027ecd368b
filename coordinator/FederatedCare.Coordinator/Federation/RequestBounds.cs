using FederatedCare.Protos.V1;
using Grpc.Core;

namespace FederatedCare.Coordinator.Federation;

/// <summary>
/// Checks a caller's strings and collections against <see cref="WireLimits"/> before anything of the request is
/// logged, stored or echoed: each failure is an <c>InvalidArgument</c> naming the field and the limit, and never
/// quotes the offending value (it may be a megabyte, or carry CR LF and ESC to forge a log line).
/// </summary>
internal static class RequestBounds
{
    /// <summary>
    /// Register: region identifier and display name (both NFC-normalised in place, so the registry, the certificate
    /// check and the store see one form), agent version, device, dataset names and count.
    /// </summary>
    /// <exception cref="RpcException">InvalidArgument.</exception>
    public static void Check(RegisterRequest request)
    {
        request.Region = Region(request.Region, "region");
        Length(request.DisplayName, "display_name", WireLimits.RegionDisplayNameChars);
        request.DisplayName = RegionNames.Normalize(request.DisplayName);
        if (RegionNames.DisplayNameProblem(request.DisplayName) is { } displayProblem) throw Invalid($"display_name: {displayProblem}");
        Text(request.AgentVersion, "agent_version", WireLimits.AgentVersionChars);
        Text(request.Device, "device", WireLimits.DeviceChars);
        Count(request.Datasets.Count, "datasets", WireLimits.Datasets);
        for (int i = 0; i < request.Datasets.Count; i++) Text(request.Datasets[i], $"datasets[{i}]", WireLimits.DatasetChars);
        // A time a clock can show: the skew (agent − coordinator) is then a TimeSpan, whatever the agent's clock says.
        if (request.AgentTimeUnixMs is < 0 or > MaxUnixMs)
            throw Invalid($"agent_time_unix_ms: 0 (unknown) or a Unix time in milliseconds up to {MaxUnixMs} (the end of year 9999), got {request.AgentTimeUnixMs}.");
    }

    // DateTimeOffset.MaxValue in Unix milliseconds.
    private const long MaxUnixMs = 253_402_300_799_999;

    /// <summary>A node id given in a request field (the header is checked by <see cref="NodeIdentity"/>).</summary>
    /// <exception cref="RpcException">InvalidArgument.</exception>
    public static void NodeId(string nodeId, string field) => Text(nodeId, field, WireLimits.NodeIdChars);

    /// <summary>UploadUpdate's header: job id, base model hash, num_examples and the local metrics.</summary>
    /// <exception cref="RpcException">InvalidArgument.</exception>
    public static void Check(UpdateHeader header)
    {
        JobId(header.JobId);
        Sha256(header.BaseModelSha256, "base_model_sha256");
        Examples(header.NumExamples, "num_examples");
        Metrics(header.Metrics, "metrics");
    }

    /// <summary>ReportMetrics: job id, model label, the reports (count, split, region, num_examples, extra metrics).</summary>
    /// <exception cref="RpcException">InvalidArgument.</exception>
    public static void Check(ReportMetricsRequest request)
    {
        JobId(request.JobId);
        Text(request.ModelLabel, "model_label", WireLimits.ModelLabelChars);
        Count(request.Metrics.Count, "metrics", WireLimits.MetricReports);
        for (int i = 0; i < request.Metrics.Count; i++)
        {
            var m = request.Metrics[i];
            Text(m.Region, $"metrics[{i}].region", WireLimits.RegionChars);
            Text(m.Split, $"metrics[{i}].split", WireLimits.SplitChars);
            Examples(m.NumExamples, $"metrics[{i}].num_examples");
            Metrics(m.Extra, $"metrics[{i}].extra");
        }
    }

    /// <summary>ReportStatistics: job id, the refusal's text, or the statistics' columns, names and counts.</summary>
    /// <exception cref="RpcException">InvalidArgument.</exception>
    public static void Check(ReportStatisticsRequest request)
    {
        JobId(request.JobId);
        Text(request.Refusal, "refusal", WireLimits.RefusalChars);
        Text(request.Pending, "pending", WireLimits.RefusalChars);
        if (request.Statistics is not { } s) return;
        Examples(s.TrainRows, "statistics.train_rows");
        Count(s.Columns.Count, "statistics.columns", WireLimits.StatisticsColumns);
        for (int i = 0; i < s.Columns.Count; i++)
        {
            Text(s.Columns[i].Name, $"statistics.columns[{i}].name", WireLimits.ColumnNameChars);
            Examples(s.Columns[i].Count, $"statistics.columns[{i}].count");
        }
        Count(s.LabelCounts.Count, "statistics.label_counts", WireLimits.StatisticsColumns);
        foreach (var (label, count) in s.LabelCounts)
        {
            Text(label, "statistics.label_counts (a key)", WireLimits.ColumnNameChars);
            Examples(count, "statistics.label_counts (a count)");
        }
    }

    /// <summary>ReportAnalysis: job id, the refusal's text, the answer's serialised size.</summary>
    /// <exception cref="RpcException">InvalidArgument.</exception>
    public static void Check(ReportAnalysisRequest request)
    {
        JobId(request.JobId);
        Text(request.Refusal, "refusal", WireLimits.RefusalChars);
        if (request.Answer is { } answer && answer.CalculateSize() is var size && size > WireLimits.AnalysisAnswerBytes)
            throw Invalid($"answer: at most {WireLimits.AnalysisAnswerBytes} bytes, got {size}.");
    }

    /// <summary>ReportRefusal: job id, model label and reason.</summary>
    /// <exception cref="RpcException">InvalidArgument.</exception>
    public static void Check(ReportRefusalRequest request)
    {
        JobId(request.JobId);
        Text(request.ModelLabel, "model_label", WireLimits.ModelLabelChars);
        Text(request.Reason, "reason", WireLimits.RefusalChars);
    }

    /// <summary>DownloadModel: job id and model hash.</summary>
    /// <exception cref="RpcException">InvalidArgument.</exception>
    public static void Check(DownloadModelRequest request)
    {
        JobId(request.JobId);
        Sha256(request.ModelSha256, "model_sha256");
    }

    /// <summary>A job id: at most <see cref="WireLimits.JobIdChars"/> characters, no control characters.</summary>
    /// <exception cref="RpcException">InvalidArgument.</exception>
    public static void JobId(string jobId, string field = "job_id") => Text(jobId, field, WireLimits.JobIdChars);

    /// <summary>
    /// A region identifier (<see cref="RegionNames"/>): returns its NFC form, which must be 1 to
    /// <see cref="WireLimits.RegionChars"/> identifier characters (letters, digits, '-', '_', '.'; no spaces).
    /// </summary>
    /// <exception cref="RpcException">InvalidArgument.</exception>
    public static string Region(string region, string field)
    {
        // Bounded before normalising: a name that long cannot compose down to the limit.
        if (region.Length > RegionNormalizeChars) throw Invalid($"{field}: at most {WireLimits.RegionChars} characters, got {region.Length}.");
        var normalized = RegionNames.Normalize(region);
        return RegionNames.IdentifierProblem(normalized) is { } problem ? throw Invalid($"{field}: {problem}") : normalized;
    }

    // The longest region identifier normalised at all: four code units per character covers a letter with three marks.
    private const int RegionNormalizeChars = 4 * WireLimits.RegionChars;

    /// <summary>A free-text or name field: at most <paramref name="max"/> characters and no control character.</summary>
    /// <exception cref="RpcException">InvalidArgument.</exception>
    public static void Text(string value, string field, int max)
    {
        Length(value, field, max);
        for (int i = 0; i < value.Length; i++)
            if (WireLimits.IsControl(value[i]))
                throw Invalid($"{field}: control character U+{(int)value[i]:X4} at index {i} is not allowed.");
    }

    /// <summary>A collection of at most <paramref name="max"/> entries.</summary>
    /// <exception cref="RpcException">InvalidArgument.</exception>
    public static void Count(int count, string field, int max)
    {
        if (count > max) throw Invalid($"{field}: at most {max} entries, got {count}.");
    }

    /// <summary>An example or row count: 0 to <see cref="WireLimits.Examples"/> (negative counts are the validators' to name).</summary>
    /// <exception cref="RpcException">InvalidArgument.</exception>
    public static void Examples(long count, string field)
    {
        if (count > WireLimits.Examples) throw Invalid($"{field}: at most {WireLimits.Examples}, got {count}.");
    }

    private static void Sha256(string value, string field)
    {
        Length(value, field, WireLimits.Sha256Chars);
        if (value.Length > 0 && (value.Length != WireLimits.Sha256Chars || !value.All(char.IsAsciiHexDigit)))
            throw Invalid($"{field}: a SHA-256 is {WireLimits.Sha256Chars} hex digits.");
    }

    private static void Metrics(Google.Protobuf.Collections.MapField<string, double> metrics, string field)
    {
        Count(metrics.Count, field, WireLimits.MetricsPerMap);
        foreach (var name in metrics.Keys) Text(name, $"{field} (a name)", WireLimits.MetricNameChars);
    }

    private static void Length(string value, string field, int max)
    {
        if (value.Length > max) throw Invalid($"{field}: at most {max} characters, got {value.Length}.");
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
