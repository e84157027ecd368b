using System.Text.RegularExpressions;
using FederatedCare.Protos.V1;
using Google.Protobuf.WellKnownTypes;

namespace FederatedCare.Cli.Output;

/// <summary>
/// What <c>fedcare watch</c> prints for a job's events: one <see cref="RoundLine"/> per round, timed from the job's
/// submission by the coordinator's clock (its <c>created_at</c> to the round's <c>completed_at</c>), so that a watch
/// started late, or reconnected, shows the same times as one that followed the job from its start. Between rounds it
/// prints the job's status message, indented, each time it changes (<c>  waiting for 4 clients with dataset ...</c>),
/// so that the user sees why a job does not go on; left out are the messages of a round's phases
/// (<c>round 3: fit (...)</c>), which the round's line follows at once, and the final message, which the closing line
/// gives.
/// </summary>
public sealed partial class WatchProgress
{
    private readonly HashSet<int> _printed = [];
    private string _message = "";

    /// <summary>
    /// The line to print for an event, or null: a round's line (a reconnected watch replays the rounds already done; each
    /// is printed once) or a changed status message.
    /// </summary>
    public string? Line(JobEvent e)
    {
        var message = e.Status.Message;
        bool changed = message != _message;
        _message = message;
        if (e.Round is not null)
            return _printed.Add(e.Round.Round) ? RoundLine.Format(e.Round, SinceSubmitted(e.Status, e.Round.CompletedAt)) : null;
        bool shown = changed && message.Length > 0 && (e.Status.State is JobState.Pending or JobState.Running) && !RoundPhase().IsMatch(message);
        return shown ? "  " + message : null;
    }

    /// <summary>The time from the job's submission to <paramref name="at"/>, a coordinator timestamp (now when absent).</summary>
    public static TimeSpan SinceSubmitted(JobStatus job, Timestamp? at) => (at?.ToDateTime() ?? DateTime.UtcNow) - job.CreatedAt.ToDateTime();

    [GeneratedRegex(@"^round \d+: ")]
    private static partial Regex RoundPhase();
}
