using FederatedCare.Protos.V1;
using Google.Protobuf.WellKnownTypes;

namespace FederatedCare.Cli.Output;

/// <summary>
/// What <c>fedcare watch</c> prints for a job's events: one <see cref="RoundLine"/> per round, timed from the job's
/// submission by the coordinator's clock (its <c>created_at</c> to the round's <c>completed_at</c>), so that a watch
/// started late, or reconnected, shows the same times as one that followed the job from its start.
/// </summary>
public sealed class WatchProgress
{
    private readonly HashSet<int> _printed = [];

    /// <summary>The line to print for an event, or null: a reconnected watch replays the rounds already done, each printed once.</summary>
    public string? Line(JobEvent e)
    {
        if (e.Round is null || !_printed.Add(e.Round.Round)) return null;
        return RoundLine.Format(e.Round, SinceSubmitted(e.Status, e.Round.CompletedAt));
    }

    /// <summary>The time from the job's submission to <paramref name="at"/>, a coordinator timestamp (now when absent).</summary>
    public static TimeSpan SinceSubmitted(JobStatus job, Timestamp? at) => (at?.ToDateTime() ?? DateTime.UtcNow) - job.CreatedAt.ToDateTime();
}
