using System.Text.Json.Nodes;
using FederatedCare.Protos.V1;
using Google.Protobuf;

namespace FederatedCare.Coordinator.Web.Dashboard;

/// <summary>
/// The dashboard's JSON: protobuf messages in their canonical JSON form (lowerCamelCase fields, defaults written, so a
/// round 0 or an accuracy of 0 is there), and the short job summary the job list shows.
/// </summary>
internal static class DashboardJson
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    /// <summary>A message as a JSON node.</summary>
    public static JsonNode Of(IMessage message) => JsonNode.Parse(Formatter.Format(message))!;

    /// <summary>Messages as a JSON array.</summary>
    public static JsonArray Of(IEnumerable<IMessage> messages) => new([.. messages.Select(Of)]);

    /// <summary>A job's state, rounds and progress without its spec's bulk (schema, initial weights).</summary>
    public static JsonObject Summary(JobStatus job) => new()
    {
        ["id"] = job.JobId,
        ["name"] = job.Spec?.Name ?? "",
        ["state"] = State(job.State),
        ["currentRound"] = job.CurrentRound,
        ["rounds"] = job.Spec?.Rounds ?? 0,
        ["kind"] = job.Spec?.Analysis is null ? "training" : "analysis",
        ["strategy"] = job.Spec?.Strategy?.Name ?? "",
        ["dataset"] = job.Spec?.Dataset ?? "",
        ["privacy"] = job.Spec?.Privacy is not null,
        ["message"] = job.Message,
        ["submittedBy"] = job.SubmittedBy,
        ["createdAt"] = job.CreatedAt?.ToDateTimeOffset().ToString("O"),
        ["updatedAt"] = job.UpdatedAt?.ToDateTimeOffset().ToString("O"),
    };

    /// <summary>A state's short name: pending, running, succeeded, failed, aborted.</summary>
    public static string State(JobState state) => state.ToString().ToLowerInvariant();
}
