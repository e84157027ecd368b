using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;

namespace FederatedCare.IntegrationTests;

/// <summary>
/// `fedcare abort` reaches the regions: four real agents training a job whose local training would run for hours
/// stop when it is aborted, and every one of them joins the next job's statistics phase.
/// </summary>
public sealed class AbortReachesNodesTests
{
    [Fact]
    public async Task Regions_training_an_aborted_job_stop_and_all_join_the_next_job()
    {
        await using var federation = await Federation.StartAsync();
        var endless = JobSpecFile.Load(RepositoryPaths.Example("fedavg.json"));
        endless.Rounds = 1;
        endless.Local.LocalSteps = 100_000_000;
        endless.RoundDeadlineSeconds = 3600;
        endless.CrossSiteValidation = false;
        var started = await federation.Operator.StartJobAsync(new StartJobRequest { Spec = endless });
        using (var watch = federation.Operator.WatchJob(new GetJobRequest { JobId = started.JobId }))
        {
            // The fit round is open: its tasks went out, so the regions are training.
            while (await watch.ResponseStream.MoveNext(CancellationToken.None)
                && !watch.ResponseStream.Current.Status.Message.StartsWith("round 1: ", StringComparison.Ordinal))
            {
            }
        }
        var aborted = await federation.Operator.AbortJobAsync(new AbortJobRequest { JobId = started.JobId, Reason = "wrong spec" });
        Assert.Equal(JobState.Aborted, aborted.State);

        var next = JobSpecFile.Load(RepositoryPaths.Example("fedavg.json"));
        next.Rounds = 1;
        next.CrossSiteValidation = false;
        var status = await federation.RunJobAsync(next, TimeSpan.FromMinutes(3));

        Assert.Equal(JobState.Succeeded, status.State);
        Assert.DoesNotContain("out of this job", status.Message);
        var rounds = await federation.Research.ListRoundsAsync(new ListRoundsRequest { JobId = status.JobId });
        Assert.Equal(4, rounds.Rounds.Single(r => r.Round == 1).Participants.Count);
    }
}
