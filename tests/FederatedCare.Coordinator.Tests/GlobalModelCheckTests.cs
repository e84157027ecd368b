using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Tests;

/// <summary>An aggregate that overflows is never stored or sent: the job fails at once with the reason.</summary>
public sealed class GlobalModelCheckTests
{
    [Fact]
    public async Task A_server_step_that_overflows_fails_the_job_without_storing_the_model()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        await using var halland = await AutoNode.StartAsync(coordinator.Channel, "Halland");
        await using var orebro = await AutoNode.StartAsync(coordinator.Channel, "Örebro");
        var spec = JobSpecValidationTests.ValidSpec();
        spec.Rounds = 3;
        spec.MinFitClients = 2;
        spec.MinAvailableClients = 2;
        spec.Strategy = new StrategySpec { Name = "fedavg", Parameters = { ["server_learning_rate"] = 1e300 } };
        var operators = new Operator.OperatorClient(coordinator.Channel);
        await operators.StartJobAsync(new StartJobRequest { Spec = spec, JobId = "overflow" });

        JobStatus status;
        using (var watch = operators.WatchJob(new GetJobRequest { JobId = "overflow" }, deadline: DateTime.UtcNow.AddSeconds(30)))
        {
            status = new JobStatus();
            while (await watch.ResponseStream.MoveNext(CancellationToken.None)) status = watch.ResponseStream.Current.Status;
        }
        Assert.Equal(JobState.Failed, status.State);
        Assert.Contains("round 1: the aggregated global model is not finite ('linear.weight'[0] = ", status.Message, StringComparison.Ordinal);
        Assert.Contains("not stored", status.Message, StringComparison.Ordinal);
        var rounds = await new Research.ResearchClient(coordinator.Channel).ListRoundsAsync(new ListRoundsRequest { JobId = "overflow" });
        Assert.Equal([0], rounds.Rounds.Select(r => r.Round));
    }
}
