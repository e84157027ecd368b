using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FederatedCare.Node.Sdk;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Google.Protobuf;

namespace FederatedCare.NodeAgent.Governance;

/// <summary>
/// The SDK's <see cref="IReleaseObserver"/> as entries of the region's audit log: one <see cref="RegionAuditActions.Released"/>
/// entry per message that leaves for the coordinator, written before it is sent. Each records what kind of release it
/// is, the SHA-256 of the message as sent (so the region can match it against the coordinator's copy) and the figures
/// that say what left — nothing beyond what the message itself carries:
/// <list type="bullet">
/// <item>update: kind, round, num_examples, the SHA-256 of its tensors (<see cref="ModelParameters.ComputeSha256"/>),
/// its L2 norm as the coordinator decodes it (<see cref="UpdateNorm.L2AsDecoded"/>), the wire encoding and the
/// client-side DP clipping norm when the job clips;</item>
/// <item>statistics: the training row count, the names and counts of the columns whose sums were sent, the label
/// counts, or the refusal;</item>
/// <item>metrics: the model evaluated and, per split, num_examples, loss and accuracy;</item>
/// <item>analysis: the answer's kind (the analysis step) or the refusal.</item>
/// </list>
/// ε spent is not recorded here: the node does not know the job's noise (the coordinator adds it); the region's
/// privacy accountant (its policy) records the job's planned ε when it admits the job.
/// </summary>
/// <param name="audit">The region's audit log.</param>
public sealed class RegionReleaseAudit(IRegionAudit audit) : IReleaseObserver
{
    /// <summary>The actor of a release entry: the node itself, acting on an admitted job.</summary>
    public const string Actor = "node";

    /// <inheritdoc />
    public void UpdateReleased(NodeTask task, UpdateHeader header, ModelParameters model, DType encoding)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(model);
        var detail = new JsonObject
        {
            ["kind"] = header.Kind == UpdateKind.InitialModel ? "initial_model" : "update",
            ["round"] = header.Round,
            ["num_examples"] = header.NumExamples,
            ["sha256"] = model.ComputeSha256(),
            ["l2_norm"] = Number(UpdateNorm.L2AsDecoded(model, encoding)),
            ["encoding"] = encoding.ToString(),
        };
        if (task.Fit is { ClippingNorm: > 0 } fit) detail["dp_clipping_norm"] = fit.ClippingNorm;
        audit.Append(RegionAuditActions.Released, task.JobId, Actor, detail);
    }

    /// <inheritdoc />
    public void StatisticsReleased(NodeTask task, ReportStatisticsRequest report)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(report);
        var detail = Common("statistics", report);
        if (report.OutcomeCase == ReportStatisticsRequest.OutcomeOneofCase.Statistics)
        {
            var s = report.Statistics;
            detail["train_rows"] = s.TrainRows;
            var columns = new JsonObject();
            foreach (var c in s.Columns) columns[c.Name] = c.Count;
            detail["column_counts"] = columns;
            var labels = new JsonObject();
            foreach (var (label, count) in s.LabelCounts.OrderBy(l => l.Key, StringComparer.Ordinal)) labels[label] = count;
            detail["label_counts"] = labels;
        }
        else detail["refusal"] = report.Refusal;
        audit.Append(RegionAuditActions.Released, task.JobId, Actor, detail);
    }

    /// <inheritdoc />
    public void MetricsReleased(NodeTask task, ReportMetricsRequest report)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(report);
        var detail = Common("metrics", report);
        detail["round"] = report.Round;
        detail["model_label"] = report.ModelLabel;
        var splits = new JsonArray();
        foreach (var m in report.Metrics)
            splits.Add(new JsonObject { ["split"] = m.Split, ["num_examples"] = m.NumExamples, ["loss"] = Number(m.Loss), ["accuracy"] = Number(m.Accuracy) });
        detail["splits"] = splits;
        audit.Append(RegionAuditActions.Released, task.JobId, Actor, detail);
    }

    /// <inheritdoc />
    public void RefusalReleased(NodeTask task, ReportRefusalRequest report)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(report);
        var detail = Common("refusal", report);
        detail["round"] = report.Round;
        detail["refusal"] = report.Reason;
        audit.Append(RegionAuditActions.Released, task.JobId, Actor, detail);
    }

    /// <inheritdoc />
    public void AnalysisReleased(NodeTask task, ReportAnalysisRequest report)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(report);
        var detail = Common("analysis", report);
        detail["round"] = report.Round;
        if (report.OutcomeCase == ReportAnalysisRequest.OutcomeOneofCase.Answer) detail["step"] = report.Answer.KindCase.ToString();
        else detail["refusal"] = report.Refusal;
        audit.Append(RegionAuditActions.Released, task.JobId, Actor, detail);
    }

    // JSON has no NaN or infinity (a regression has no accuracy): those are written as text.
    private static JsonNode Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));

    private static JsonObject Common(string kind, IMessage message) => new()
    {
        ["kind"] = kind,
        ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(message.ToByteArray())),
    };
}
