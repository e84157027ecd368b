using FederatedCare.Cli.Output;
using FederatedCare.Protos.V1;
using Google.Protobuf.WellKnownTypes;

namespace FederatedCare.IntegrationTests.Cli;

/// <summary>What <c>fedcare watch</c> and <c>submit --watch</c> print while they follow a job.</summary>
public sealed class WatchProgressTests
{
    private static readonly DateTime Submitted = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static JobStatus Status(string message = "", JobState state = JobState.Running) =>
        new() { JobId = "j", State = state, Message = message, CreatedAt = Timestamp.FromDateTime(Submitted) };

    private static JobEvent RoundDone(int round, double secondsAfterSubmission) => new()
    {
        Status = Status($"round {round}/2 done"),
        Round = new RoundSummary
        {
            Round = round,
            CompletedAt = Timestamp.FromDateTime(Submitted.AddSeconds(secondsAfterSubmission)),
            Metrics = { new RegionMetrics { Region = "Halland", Round = round, Split = "test", Accuracy = 0.75 } },
        },
    };

    [Fact]
    public void Round_times_run_from_the_submission_to_the_round_s_completion_and_replayed_rounds_print_once()
    {
        var progress = new WatchProgress();
        Assert.Equal("round  0 | Halland 0.7500 | mean 0.7500 | 1.9 s", progress.Line(RoundDone(0, 1.9)));
        Assert.Equal("round  1 | Halland 0.7500 | mean 0.7500 | 3.5 s", progress.Line(RoundDone(1, 3.5)));
        Assert.Null(progress.Line(RoundDone(1, 3.5)));
    }

    [Fact]
    public void The_closing_time_runs_from_the_submission_to_the_job_s_last_update()
    {
        var job = Status();
        job.UpdatedAt = Timestamp.FromDateTime(Submitted.AddSeconds(42.25));
        Assert.Equal(42.25, WatchProgress.SinceSubmitted(job, job.UpdatedAt).TotalSeconds, 6);
    }

    [Fact]
    public void Status_messages_between_rounds_print_indented_once_each_change()
    {
        var progress = new WatchProgress();
        string waiting = "waiting for 4 clients with dataset 'heart-disease' (0 connected; without it: Halland)";
        List<string?> lines =
        [
            progress.Line(new JobEvent { Status = Status("queued", JobState.Pending) }),
            progress.Line(new JobEvent { Status = Status(waiting) }),
            progress.Line(new JobEvent { Status = Status(waiting) }),
            progress.Line(new JobEvent { Status = Status("round 0: initialise (Halland)") }),
            progress.Line(RoundDone(0, 1.9)),
            progress.Line(new JobEvent { Status = Status("round 1: fit (Halland)") }),
            progress.Line(new JobEvent { Status = Status(waiting) }),
            progress.Line(new JobEvent { Status = Status("round 1/2 done", JobState.Succeeded) }),
        ];
        Assert.Equal<IEnumerable<string?>>(["  queued", "  " + waiting, null, null, "round  0 | Halland 0.7500 | mean 0.7500 | 1.9 s", null, "  " + waiting, null], lines);
    }
}
