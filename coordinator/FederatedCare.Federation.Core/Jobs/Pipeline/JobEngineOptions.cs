using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>Settings of the job engine that are the host's, not the job spec's.</summary>
public sealed class JobEngineOptions
{
    /// <summary>Deadline of a round (seconds) when the job spec leaves round_deadline_seconds at 0.</summary>
    public double DefaultRoundDeadlineSeconds { get; init; } = 300;

    /// <summary>How often (seconds) regions whose approval is pending are asked again (the round deadline if shorter).</summary>
    public double ApprovalPollSeconds { get; init; } = 10;

    /// <summary>The splits every federated evaluation asks for.</summary>
    public IReadOnlyList<string> EvaluationSplits { get; init; } = [WireNames.Splits.Test];

    /// <summary>Streaming aggregation limits.</summary>
    public AggregationOptions Aggregation { get; init; } = new();

    /// <summary>Which per-round models stay stored (default: all).</summary>
    public ModelRetention Retention { get; init; } = new();

    /// <summary>Where the engine records its aggregation times (the coordinator's meters); null: nowhere.</summary>
    public Metrics.FederationMetrics? Metrics { get; init; }
}
