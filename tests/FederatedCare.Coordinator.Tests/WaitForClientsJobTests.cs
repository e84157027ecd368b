using FederatedCare.Protos.V1;
using Microsoft.Extensions.Time.Testing;

namespace FederatedCare.Coordinator.Tests;

/// <summary>
/// Over real gRPC on a fake clock: a job that waits for a dataset nobody holds fails after its
/// wait_for_clients_seconds, and the queue goes on to the next job, which runs on the connected node.
/// </summary>
public sealed class WaitForClientsJobTests
{
    [Fact]
    public async Task A_job_whose_clients_never_come_fails_after_its_wait_and_the_next_job_runs()
    {
        var time = new FakeTimeProvider();
        await using var coordinator = await TestCoordinator.StartOnFakeClockAsync(time);
        await using var halland = await AutoNode.StartAsync(coordinator.Channel, "Halland");
        var operators = new Operator.OperatorClient(coordinator.Channel);
        var typo = Spec(dataset: "heart-diseas");
        typo.WaitForClientsSeconds = 20;
        await operators.StartJobAsync(new StartJobRequest { Spec = typo, JobId = "typo" });
        await operators.StartJobAsync(new StartJobRequest { Spec = Spec(dataset: "heart-disease"), JobId = "next" });

        // The clock moves only once the first job waits, then in steps of 5 s until it gives up: far below the 60 s node
        // timeout, so Halland stays connected.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (!(await operators.GetJobAsync(new GetJobRequest { JobId = "typo" })).Message.StartsWith("waiting for 1 clients", StringComparison.Ordinal))
            await Task.Delay(20, timeout.Token);
        JobStatus first;
        while ((first = await operators.GetJobAsync(new GetJobRequest { JobId = "typo" })).State is JobState.Pending or JobState.Running)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(20, timeout.Token);
        }

        Assert.Equal(JobState.Failed, first.State);
        Assert.Equal("waited 20 s for 1 client with dataset 'heart-diseas' (regions: any); connected: Halland (datasets: heart-disease) " +
            "(spec.wait_for_clients_seconds)", first.Message);
        using (var watch = operators.WatchJob(new GetJobRequest { JobId = "next" }))
            while (await watch.ResponseStream.MoveNext(timeout.Token)) { }
        Assert.Equal(JobState.Succeeded, (await operators.GetJobAsync(new GetJobRequest { JobId = "next" })).State);
    }

    private static JobSpec Spec(string dataset)
    {
        var spec = JobSpecValidationTests.ValidSpec();
        spec.Dataset = dataset;
        spec.Rounds = 1;
        spec.MinFitClients = 1;
        spec.MinAvailableClients = 1;
        return spec;
    }
}
