using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.IntegrationTests;

/// <summary>
/// A task every region refuses is not mistaken for silent stragglers: four real agents refuse SCAFFOLD's fit task
/// with a local Adam optimizer, each refusal reaches the coordinator at once, and the job fails quoting every reason
/// instead of waiting out its deadlines.
/// </summary>
public sealed class TaskRefusalTests
{
    [Fact]
    public async Task A_fit_task_every_region_refuses_fails_the_job_at_once_naming_each_reason()
    {
        await using var federation = await Federation.StartAsync();
        var spec = JobSpecFile.Load(RepositoryPaths.Example("scaffold.json"));
        spec.Rounds = 2;
        spec.Local.Optimizer = LocalOptimizer.Adam;
        // An hour per round: a job that waited for refusing regions would not end within the test's bound.
        spec.RoundDeadlineSeconds = 3600;

        var status = await federation.RunJobAsync(spec, TimeSpan.FromMinutes(3));

        Assert.Equal(JobState.Failed, status.State);
        Assert.StartsWith("round 1: only 0 of 4 selected clients sent an update", status.Message);
        foreach (var (region, _) in Federation.Regions)
            Assert.Contains($"{region}: ", status.Message[status.Message.IndexOf("refused by", StringComparison.Ordinal)..]);
        Assert.DoesNotContain("no update from", status.Message);
    }
}
