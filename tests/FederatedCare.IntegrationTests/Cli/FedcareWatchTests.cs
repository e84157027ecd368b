using FederatedCare.Coordinator.Extensions;

namespace FederatedCare.IntegrationTests.Cli;

/// <summary><c>fedcare submit --watch</c> and <c>fedcare watch</c> against a coordinator with no node agents: a job that waits.</summary>
public sealed class FedcareWatchTests
{
    [Fact]
    public async Task A_waiting_job_says_why_stopping_the_watch_says_the_job_goes_on_and_abort_stops_it()
    {
        await using var coordinator = await CoordinatorHost.StartAsync([$"--Coordinator:DataDirectory={RepositoryPaths.TempDirectory()}"]);
        using var fedcare = FedcareProcess.Start("-c", coordinator.Address.ToString(), "submit", RepositoryPaths.Example("fedavg.json"), "--watch");
        var submitted = await fedcare.WaitForLineAsync(l => l.StartsWith("job ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var jobId = submitted.Split(' ')[1];
        await fedcare.WaitForLineAsync(l => l.StartsWith("  waiting for ", StringComparison.Ordinal) && l.Contains("with dataset 'heart-disease' (0 connected)"),
            TimeSpan.FromSeconds(30));

        fedcare.Terminate();

        Assert.Equal(FederatedCare.Cli.CliErrors.Cancelled, await fedcare.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal($"cancelled; the job keeps running on the coordinator (fedcare abort {jobId} stops it)", fedcare.Stderr);

        var (abortExit, abortOut, _) = await FedcareProcess.RunAsync("-c", coordinator.Address.ToString(), "abort", jobId);
        Assert.Equal(0, abortExit);
        Assert.Equal($"{jobId}  Aborted  aborted by operator", abortOut);
    }

    [Fact]
    public async Task A_watch_that_never_reached_the_coordinator_fails_at_once()
    {
        var (exitCode, _, stderr) = await FedcareProcess.RunAsync("-c", "http://127.0.0.1:1", "watch", "x");
        Assert.Equal(1, exitCode);
        Assert.StartsWith("Unavailable: the coordinator at http://127.0.0.1:1 cannot be reached", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("reconnecting", stderr, StringComparison.Ordinal);
    }
}
