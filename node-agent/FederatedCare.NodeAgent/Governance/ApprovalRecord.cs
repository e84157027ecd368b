using System.Text.Json;
using System.Text.Json.Serialization;

namespace FederatedCare.NodeAgent.Governance;

/// <summary>
/// One job spec awaiting, or having had, a person's decision in manual approval: everything the data team needs to
/// judge what the job would release. Written as <c>&lt;StateDirectory&gt;/approvals/&lt;sha256&gt;.json</c> (snake_case).
/// </summary>
public sealed class ApprovalRecord
{
    /// <summary><see cref="State"/> of a spec no one has decided on yet.</summary>
    public const string Pending = "pending";
    /// <summary><see cref="State"/> of an approved spec.</summary>
    public const string Approved = "approved";
    /// <summary><see cref="State"/> of a refused spec.</summary>
    public const string Refused = "refused";

    /// <summary>SHA-256 (hex) of the spec's protobuf bytes, computed by this node: the approval covers exactly this spec.</summary>
    public string SpecSha256 { get; set; } = "";
    /// <summary>pending, approved or refused.</summary>
    public string State { get; set; } = Pending;
    /// <summary>The job that first brought this spec (a resubmission with another id and the same spec is covered too).</summary>
    public string JobId { get; set; } = "";
    /// <summary>The job's name in its spec.</summary>
    public string Name { get; set; } = "";
    /// <summary>Who submitted it: the operator's certificate name with mutual TLS; empty without.</summary>
    public string SubmittedBy { get; set; } = "";
    /// <summary>training, statistics and/or survival.</summary>
    public List<string> Kinds { get; set; } = [];
    /// <summary>The dataset the job reads.</summary>
    public string Dataset { get; set; } = "";
    /// <summary>Every column the job uses.</summary>
    public List<string> Columns { get; set; } = [];
    /// <summary>Training rounds (0 for analysis jobs).</summary>
    public int Rounds { get; set; }
    /// <summary>The job's planned ε over all its rounds at <see cref="Delta"/>; null without differential privacy, and without noise (ε = ∞, which JSON cannot write) while <see cref="Delta"/> is set.</summary>
    public double? PlannedEpsilon { get; set; }
    /// <summary>δ of <see cref="PlannedEpsilon"/>; null without differential privacy.</summary>
    public double? Delta { get; set; }
    /// <summary>The whole spec, as the job-spec file format writes it.</summary>
    public JsonElement Spec { get; set; }
    /// <summary>When the node first saw the spec (ISO 8601, UTC).</summary>
    public string RequestedAt { get; set; } = "";
    /// <summary>Who approved or refused it (empty while pending).</summary>
    public string DecidedBy { get; set; } = "";
    /// <summary>When (ISO 8601, UTC; empty while pending).</summary>
    public string DecidedAt { get; set; } = "";
    /// <summary>The reason given with a refusal (or an approval's note).</summary>
    public string Reason { get; set; } = "";

    /// <summary>How records are written and read: snake_case names, indented, +∞/NaN refused.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
